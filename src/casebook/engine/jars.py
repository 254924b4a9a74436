"""Delta Lake's jars: resolved from Maven Central once through Spark's Ivy, then used offline."""

from __future__ import annotations

import os
import urllib.request
from importlib.metadata import version
from pathlib import Path

SCALA_VERSION = "2.13"
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"


class JarFetchError(RuntimeError):
    """Raised when a jar Casebook needs is neither cached nor downloadable."""


def delta_package() -> str:
    """The Maven coordinate of the Delta jar that matches the installed delta-spark wheel."""
    return f"io.delta:delta-spark_{SCALA_VERSION}:{version('delta-spark')}"


def ivy_dir() -> Path:
    """Ivy's cache, shared by every clone on the machine: $CASEBOOK_IVY_DIR or ~/.cache/casebook/ivy."""
    configured = os.environ.get("CASEBOOK_IVY_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "casebook" / "ivy"


def _manifest() -> Path:
    return ivy_dir() / f"{delta_package().replace(':', '_')}.jars"


def cached_jars() -> list[str] | None:
    """Local jar paths from an earlier resolution, or None when any of them is missing."""
    manifest = _manifest()
    if not manifest.is_file():
        return None
    jars = [line for line in manifest.read_text().splitlines() if line.strip()]
    if not jars or not all(Path(jar).is_file() for jar in jars):
        return None
    return jars


def jar_settings() -> dict[str, str]:
    """Spark settings that put Delta on the classpath: cached jars if present, else an Ivy resolve."""
    jars = cached_jars()
    if jars:
        return {"spark.jars": ",".join(jars)}
    return {"spark.jars.packages": delta_package(), "spark.jars.ivy": str(ivy_dir())}


def remember_resolved_jars(resolved: str) -> None:
    """Record the jars Ivy resolved (Spark's `spark.jars` after start) so later starts are offline."""
    jars = [jar.removeprefix("file://").removeprefix("file:") for jar in resolved.split(",") if jar]
    # JDBC drivers of a shared metastore are cached on their own (casebook.engine.metastore).
    jars = [jar for jar in jars if Path(jar).parent != ivy_dir() / "jdbc"]
    if jars and all(Path(jar).is_file() for jar in jars):
        _manifest().parent.mkdir(parents=True, exist_ok=True)
        _manifest().write_text("\n".join(jars) + "\n")


def maven_jar(group: str, artifact: str, jar_version: str, folder: str) -> Path:
    """One jar from Maven Central, downloaded on first use into ivy_dir()/folder, then offline.

    The download lands beside the jar and is renamed into place, so a broken download never
    passes for the jar.
    """
    name = f"{artifact}-{jar_version}.jar"
    jar = ivy_dir() / folder / name
    if jar.is_file():
        return jar
    jar.parent.mkdir(parents=True, exist_ok=True)
    url = f"{MAVEN_CENTRAL}/{group.replace('.', '/')}/{artifact}/{jar_version}/{name}"
    partial = jar.with_suffix(f".part-{os.getpid()}")
    try:
        urllib.request.urlretrieve(url, partial)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise JarFetchError(
            f"Could not fetch {name} from {url} ({error}). Download it once by hand to {jar} and try again."
        ) from None
    partial.rename(jar)
    return jar
