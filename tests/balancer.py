"""nginx in front of dashboard instances, from the repository's own deploy/nginx.conf (ports rewritten),
on a free loopback port with a prefix directory of its own. Debian's nginx (python3 dev.py test installs
nginx-light as root). Used by the scale-out e2e test and by bench/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.pgcluster import free_port

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Balancer:
    prefix: Path
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def instance_for(self, cookie: str) -> str:
        """Which instance (host:port) nginx sends a browser with this cppcc_node cookie to."""
        req = urllib.request.Request(f"{self.url}/_stcore/health", headers={"Cookie": f"cppcc_node={cookie}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return str(r.headers["X-Cppcc-Instance"])

    def cookie_for(self, instance_port: int) -> str:
        """A cookie value that pins a browser to the instance on this port."""
        for n in range(500):
            if self.instance_for(f"pin{n}").endswith(f":{instance_port}"):
                return f"pin{n}"
        raise AssertionError(f"no cookie sends a browser to port {instance_port} (is it down?)")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.prefix, ignore_errors=True)


def nginx_conf(listen: int, instances: list[int]) -> str:
    """deploy/nginx.conf with its listen port and its upstream servers replaced."""
    text = CONF.read_text(encoding="utf-8")
    text = re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{listen};", text)
    servers = "".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in instances)
    text, n = re.subn(r"(        server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, text)
    assert n == 1, "deploy/nginx.conf's upstream block changed shape"
    if os.geteuid() == 0:
        text = "user root;\n" + text  # the workers read the temporary prefix made by root
    return text


def start_balancer(instances: list[int]) -> Balancer:
    prefix = Path(tempfile.mkdtemp(prefix="cppcc-nginx-"))
    (prefix / "tmp").mkdir()
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(port, instances), encoding="utf-8")
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(prefix / "stderr.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/nginx-health", timeout=2) as r:
                if r.status == 200:
                    return Balancer(prefix, port, proc)
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(
        f"nginx did not start: {(prefix / 'stderr.log').read_text()} {(prefix / 'error.log').read_text() if (prefix / 'error.log').exists() else ''}"
    )
