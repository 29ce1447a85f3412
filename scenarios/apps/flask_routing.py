"""flask-routing's app (scenarios/flask-routing.json, its "app" section) as real Flask.

The C++ imitation serves the scenario; this file is the oracle its steps are checked against:
the same routes, run by Debian's Flask 2.2. `python3 flask_routing.py PORT` serves it on
Werkzeug's single-threaded BaseWSGIServer (run_simple without threaded), the model
flask-routing runs on; make_app takes a Flask subclass for a test that records Flask's steps.
"""
import sys

from flask import Flask, request


def make_app(app_class=Flask):
    app = app_class("app")

    @app.route("/")
    def home():
        return "Hello from Flask!"

    @app.route("/secret")
    def secret():
        return "You found me!"

    @app.route("/user/<name>")
    def user(name):
        return f"Hello, {name}!"

    @app.route("/post/<int:post_id>")
    def post(post_id):
        return f"Post {post_id}"

    @app.route("/docs/")
    def docs():
        return "Docs index"

    @app.route("/form", methods=["POST"])
    def form():
        return f"Got {request.form['name']}"

    @app.route("/boom")
    def boom():
        return 1 / 0

    return app


app = make_app()

if __name__ == "__main__":
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", int(sys.argv[1]), app)
