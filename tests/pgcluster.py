"""A throwaway PostgreSQL cluster on a free loopback port: `initdb` into a temporary directory and
`pg_ctl start`, as the `postgres` user when run as root (PostgreSQL refuses to run as root).

Debian's `postgresql` package provides the programs (python3 dev.py test installs it as root). Used by
the tests' fixtures (one cluster per xdist worker) and by bench/.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


def pg_bin() -> Path | None:
    """The directory of initdb/pg_ctl: Debian's /usr/lib/postgresql/N/bin (newest), else $PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    """A loopback port nobody listens on now (the tests' servers, PostgreSQL and nginx take one each)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    dir: Path
    port: int
    user: str
    bin: Path

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def _as_owner(self, cmd: list[str], **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

    def restart(self) -> None:
        self.stop()
        self.start()

    def start(self) -> None:
        self._as_owner(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.dir / "data"),
                "-l",
                str(self.dir / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
                " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start",
            ]
        )

    def stop(self) -> None:
        self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"])


def start_cluster() -> Cluster:
    """initdb + start; the caller stops it (Cluster.stop) and removes Cluster.dir."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise FileNotFoundError(
            "PostgreSQL is not installed (python3 dev.py test installs it when run as root)"
        )
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    root = Path(tempfile.mkdtemp(prefix="cppcc-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user)
    cluster = Cluster(root, free_port(), user, bin_dir)
    cluster._as_owner(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(root / "data"),
            "-U",
            user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
        ]
    )
    for attempt in range(3):
        try:
            cluster.start()
            break
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
            cluster.port = free_port()  # taken meanwhile by another worker
            time.sleep(0.5)
    return cluster


def remove(cluster: Cluster) -> None:
    try:
        cluster.stop()
    finally:
        shutil.rmtree(cluster.dir, ignore_errors=True)
