"""flask-routing's app (scenarios/flask-routing.json, its "app" section) as real Flask.

The C++ imitation serves the scenario; this file is the oracle its level-3 steps are checked
against: the same routes, run by Debian's Flask 2.2.
"""
from flask import Flask, request

app = Flask(__name__)


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
    raise ZeroDivisionError
