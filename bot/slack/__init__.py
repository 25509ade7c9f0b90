"""What the kernel knows of Slack beyond Block Kit: the Web API client every process uses (client.py) and the
workspace's people directory a handbook page's people are matched against (people.py). Slack payloads stay in
handlers/: request helpers such as button_request are in handlers/context.py."""
