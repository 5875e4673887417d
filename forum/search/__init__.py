"""Search over articles, questions and replies: the engine (engine.py), the
search page (views.py) and its URL (urls.py). The API's search endpoint
calls the same engine."""
