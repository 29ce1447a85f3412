"""The GIL lesson's app: a view that computes in pure Python, and one that only sleeps.

Alone, each takes about the same time. /compute does a fixed amount of work: the same loop, the
same number of turns, every request (about 50-100 ms of CPU on a small machine). Running Python
bytecode needs the GIL, so two threads of one process can only take turns at it. /sleep waits
75 ms in time.sleep, which lets go of the GIL while it waits, as a view waiting on a database
or another server does.

/warmup comes first, from two browsers: a worker imports this module (and Flask) after the
fork, which can take a second on a busy machine, and the crowds should measure the views, not
the workers' start.
"""
import time

from flask import Flask

app = Flask(__name__)

TURNS = 800_000  # the loop's turns: a fixed amount of work, not a fixed time


@app.route("/compute")
def compute():
    total = 0
    for i in range(TURNS):
        total += i * i % 7
    return f"computed {total}"


@app.route("/sleep")
def sleep():
    time.sleep(0.075)
    return "slept 75 ms"


@app.route("/warmup")
def warmup():
    time.sleep(1.0)  # while one worker sleeps here, the other has time to come up
    return "up"
