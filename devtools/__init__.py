"""What runs Cadence without a Slack workspace: the local Slack stand-in (Web API over HTTP), signed requests as
Slack sends them, a client that drives the app through both, a throwaway PostgreSQL server, and the console built on
them (`python app.py console`). The tests and the benchmarks use the same pieces."""
