"""The smallest Flask app: the one `reqtrace run your-app` serves when no --wsgi is given."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def home():
    return "Hello from Flask!"
