"""Co-Create outreach: prospects scored and tiered, outreach checklists, the pipeline against targets, contributions."""
