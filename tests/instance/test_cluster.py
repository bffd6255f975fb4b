"""``make start-cluster``: the HAProxy configuration it renders (scripts/cluster.py).

Starting a cluster takes minutes (bench/bench_cluster.py does it); here only the rendered
load balancer configuration is checked, by HAProxy itself."""

from pathlib import Path
from tests.conftest import require

import shutil
import subprocess
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import cluster  # noqa: E402


def test_haproxy_config_round_robin_with_health_checks(tmp_path):
    cfg = cluster.haproxy_config(tmp_path, host="127.0.0.1", port=18080, site="qlvb", threads=3,
                                 backends=[("instance1", 18091), ("instance2", 18092)])
    text = cfg.read_text()
    assert "balance roundrobin" in text
    assert "option httpchk GET /qlvb/@@ok" in text and "http-check expect status 200" in text
    assert "server instance1 127.0.0.1:18091 check" in text
    assert "server instance2 127.0.0.1:18092 check" in text
    assert "maxconn 3" in text  # no more requests in flight per instance than its threads
    directives = [line.split()[0] for line in text.splitlines()
                  if line.strip() and not line.lstrip().startswith("#")]
    assert "cookie" not in directives and not any(d.startswith("stick") for d in directives)  # sticky-free
    require(shutil.which("haproxy"), "haproxy (Debian package, make apt)")
    check = subprocess.run(["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
