"""flask-internals' app (scenarios/flask-internals.json) as real Flask: two routes, and
"middleware": ["proxy_fix", "timing"], outermost first, wrapped around wsgi_app.

The C++ imitation serves the scenario; this file is the oracle its level-3 steps are checked
against.
"""
import time

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)


@app.route("/")
def home():
    return "Hello from Flask!"


@app.route("/hello/<name>")
def hello(name):
    return f"Hello, {name}!"


class TimingMiddleware:
    """Adds Server-Timing: app;dur=<ms>, the time from entering it to the app's start_response.
    Wrapping start_response is the only way left for a middleware to add a header."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        start = time.perf_counter()

        def timed_start_response(status, headers, exc_info=None):
            elapsed = (time.perf_counter() - start) * 1000
            headers.append(("Server-Timing", f"app;dur={elapsed:.3f}"))
            return start_response(status, headers, exc_info)

        return self.app(environ, timed_start_response)


# Innermost first: the last assignment is the outermost wrapper, which runs first.
app.wsgi_app = TimingMiddleware(app.wsgi_app)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
