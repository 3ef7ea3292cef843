"""gunicorn with the shipped settings: its own lines are JSON like the request log, and its control
socket sits in the instance folder, never in the user's home."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.helpers.apps import ROOT
from tests.helpers.servers import free_port


def _json_lines(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON line: {line!r}") from None
    return parsed


def test_gunicorn_logs_json_and_keeps_its_control_socket_in_the_instance(tmp_path):
    port, home, instance = free_port(), tmp_path / "home", tmp_path / "instance"
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("WORKBENCH_") and key != "XDG_RUNTIME_DIR"}
    env.update(HOME=str(home), WORKBENCH_INSTANCE_PATH=str(instance), WORKBENCH_BIND=f"127.0.0.1:{port}",
               WORKBENCH_WORKERS="1", WORKBENCH_THREADS="1", WORKBENCH_ACCESS_LOG="-")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "workbench:create_app()"],
        cwd=tmp_path, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, answer = time.monotonic() + 30, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-Id": "probe1"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    answer = response.status, json.loads(response.read())
            except OSError:
                time.sleep(0.1)
        assert answer == (200, {"status": "ok", "checks": {"database": "ok", "storage": "ok"}})
        # The arbiter opens its control socket beside its workers: it may come just after the first answer.
        while not (instance / "gunicorn.ctl").is_socket() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (instance / "gunicorn.ctl").is_socket()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    errors, access = _json_lines(err), _json_lines(out)
    gunicorn_lines = [line for line in errors if line["logger"] == "gunicorn.error"]
    assert any(line["message"].startswith("Listening at: ") for line in gunicorn_lines), err
    assert any("Control socket listening at " + str(instance / "gunicorn.ctl") in line["message"]
               for line in gunicorn_lines), err
    assert all(line["level"] in ("info", "warning", "error", "critical") for line in errors)
    [request] = [line for line in errors if line["logger"] == "workbench.request"]
    assert (request["path"], request["status"], request["request_id"]) == ("/healthz", 200, "probe1")
    [hit] = [line for line in access if line["logger"] == "gunicorn.access"]
    assert (hit["method"], hit["path"], hit["status"], hit["request_id"]) == ("GET", "/healthz", 200, "probe1")
    assert not (home / ".gunicorn").exists() and list(home.iterdir()) == []


def test_the_control_socket_can_be_turned_off_or_moved(monkeypatch, tmp_path):
    import importlib

    import workbench.serving

    monkeypatch.setenv("WORKBENCH_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("WORKBENCH_MALLOC_TUNING", "0")  # leave this process's malloc alone
    monkeypatch.setenv("WORKBENCH_CONTROL_SOCKET", "off")
    settings = importlib.reload(workbench.serving)
    assert settings.control_socket_disable is True
    monkeypatch.setenv("WORKBENCH_CONTROL_SOCKET", str(tmp_path / "run" / "wb.ctl"))
    settings = importlib.reload(workbench.serving)
    assert settings.control_socket_disable is False and settings.control_socket == str(tmp_path / "run" / "wb.ctl")
    monkeypatch.setenv("WORKBENCH_CONTROL_SOCKET", "/" + "x" * 120)  # too long for a Unix socket: none
    assert importlib.reload(workbench.serving).control_socket_disable is True
    monkeypatch.delenv("WORKBENCH_CONTROL_SOCKET")
    settings = importlib.reload(workbench.serving)
    assert settings.control_socket == str(tmp_path / "instance" / "gunicorn.ctl")


def test_a_worker_takes_one_connection_while_its_requests_work_and_another_for_each_that_waits(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setenv("WORKBENCH_MALLOC_TUNING", "0")  # leave this process's malloc alone
    from workbench import waits
    from workbench.serving import OneAtATimeWorker

    worker = OneAtATimeWorker.__new__(OneAtATimeWorker)  # its connection count alone, no process
    worker.cfg = SimpleNamespace(keepalive=0, threads=3)
    worker.worker_connections = 3
    told = []
    waits.on_change(lambda: told.append(waits.waiting()))
    assert worker.worker_connections == 1
    with waits.slow_wait():
        assert worker.worker_connections == 2
        with waits.slow_wait(), waits.slow_wait():
            assert worker.worker_connections == 3  # no more than its threads
    assert worker.worker_connections == 1 and waits.waiting() == 0
    assert told[:2] == [1, 2] and told[-1] == 0
    worker.cfg.keepalive = 5  # kept-alive connections count too: gunicorn's own limit
    assert worker.worker_connections == 3
