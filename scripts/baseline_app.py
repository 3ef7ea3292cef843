"""The load benchmark's baseline: a bare Flask endpoint that inserts one row into SQLite per request."""

import os
import sqlite3

from flask import Flask

DATABASE = os.environ.get("BASELINE_DATABASE", "/tmp/workbench-baseline.sqlite3")
app = Flask(__name__)


def connect():
    conn = sqlite3.connect(DATABASE, timeout=5, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


with connect() as setup:
    setup.execute("CREATE TABLE IF NOT EXISTS row (id INTEGER PRIMARY KEY, body TEXT, created TEXT)")


@app.post("/")
def insert():
    conn = connect()
    try:
        conn.execute("INSERT INTO row (body, created) VALUES (?, datetime('now'))", ("x" * 100,))
    finally:
        conn.close()
    return {"ok": True}, 201
