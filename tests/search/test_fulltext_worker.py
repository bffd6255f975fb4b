"""The full-text worker in tick mode (as ``make start`` runs it beside the exchange worker):
``scripts/fulltext_worker.py --url`` makes the web process extract the pending documents."""

from dongthap.qlvb.demo.incoming import make_pdf
from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import base64
import os
import requests
import signal
import subprocess
import sys
import time

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "fulltext_worker.py")


def _found(url, text):
    r = session("stttt.vanthu").get(f"{url}/@search-documents", params={"text": text})
    return [i["title"] for i in r.json()["items"]]


def test_tick_mode_extracts_the_queue_and_stops_on_sigterm(demo_server, monkeypatch, tmp_path):
    from dongthap.qlvb.exchange.worker import ensure_token

    url = demo_server["url"]
    token_file = tmp_path / "token"
    monkeypatch.setenv("QLVB_EXCHANGE_TOKEN_FILE", str(token_file))
    ensure_token(token_file)
    pdf = make_pdf(["Phương án nạo vét kênh Nguyễn Văn Tiếp mùa khô"])
    body = payload(title="Công văn về nạo vét kênh")
    body["file"] = {"data": base64.b64encode(pdf).decode(), "encoding": "base64", "filename": "kenh.pdf"}
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=body)
    assert r.status_code == 201, r.text
    assert _found(url, "nao vet kenh nguyen van tiep") == []  # only queued
    wrong = requests.post(f"{url}/@@fulltext-worker-tick", headers={"X-Qlvb-Worker-Token": "wrong"})
    assert wrong.status_code == 403
    pid_file = tmp_path / "fulltext.pid"
    worker = subprocess.Popen([sys.executable, SCRIPT, "--url", url, "--token-file", str(token_file),
                               "--pid-file", str(pid_file), "--interval", "1", "--limit", "50"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not _found(url, "nao vet kenh nguyen van tiep") and time.monotonic() < deadline:
            time.sleep(1)
        assert _found(url, "nao vet kenh nguyen van tiep") == ["Công văn về nạo vét kênh"]
        assert pid_file.read_text() == str(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    assert '"done"' in out
    assert not pid_file.exists()
