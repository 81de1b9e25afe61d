#!/usr/bin/env python3
"""Turns the raw outputs of a bench-kit run into a Stackwise measurements file.

Called by run.sh; standard library only. Reads a manifest (tab-separated, one
line per measured run: stack, endpoint, workers, tool, connections, url,
server, CPU layout, whether the load tool shared CPUs with the servers (0 or
1), raw-output file), parses each raw output (wrk's text report with
--latency, autocannon's --json, oha's --output-format json), gathers the
machine facts, and writes the file described in README.md ("The file
format"). Exits non-zero, naming the run, if an output cannot be read: a
measurements file never holds a made-up number.
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import re
import subprocess
import sys

FORMAT = "stackwise-measurements"
VERSION = 1

WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


class CollectError(Exception):
    pass


def wrk_time_ms(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text)
    if not match:
        raise CollectError(f"unreadable wrk time {text!r}")
    return float(match.group(1)) * WRK_UNITS_MS[match.group(2)]


def parse_wrk(text):
    """wrk's report: see src/state/loadtest/wrk.rs for the line formats."""
    rps = None
    mean = None
    percentiles = {}
    requests = None
    duration = None
    socket = [0, 0, 0, 0]
    non2xx = 0
    in_distribution = False
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if in_distribution:
            match = re.fullmatch(r"([0-9.]+)%\s+(\S+)", line)
            if match:
                percentiles[float(match.group(1))] = wrk_time_ms(match.group(2))
                continue
            in_distribution = False
        if line.startswith("Requests/sec:"):
            rps = float(line.split(":", 1)[1])
        elif line.startswith("Latency Distribution"):
            in_distribution = True
        elif line.startswith("Latency "):
            mean = wrk_time_ms(line.split()[1])
        elif " requests in " in line:
            count, rest = line.split(" requests in ", 1)
            requests = int(count)
            duration = wrk_time_ms(rest.split(",")[0].strip()) / 1000.0
        elif line.startswith("Socket errors:"):
            socket = [int(n) for n in re.findall(r"\d+", line)]
        elif line.startswith("Non-2xx or 3xx responses:"):
            non2xx = int(line.split(":", 1)[1])
    if rps is None or requests is None:
        raise CollectError("no 'Requests/sec:' or requests line in the wrk report")
    connect, read, write, timeout = socket
    return {
        "requests_per_second": rps,
        "latency_ms": {"p50": percentiles.get(50.0), "p99": percentiles.get(99.0), "mean": mean},
        # wrk's count includes error answers but not failed connections.
        "requests": requests + connect + read + write,
        "errors": connect + read + write + timeout + non2xx,
        "duration_s": duration,
    }


def parse_autocannon(text):
    data = json.loads(text)
    errors = data.get("errors", 0)
    return {
        "requests_per_second": data["requests"]["average"],
        "latency_ms": {
            "p50": data["latency"]["p50"],
            "p99": data["latency"]["p99"],
            "mean": data["latency"]["mean"],
        },
        "requests": data["requests"]["total"] + errors,
        "errors": errors + data.get("non2xx", 0),
        "duration_s": data["duration"],
    }


def parse_oha(text):
    data = json.loads(text)
    deadline = "aborted due to deadline"
    errors = sum(n for k, n in data.get("errorDistribution", {}).items() if k != deadline)
    statuses = data.get("statusCodeDistribution", {})
    answered = sum(statuses.values())
    failed_answers = sum(n for k, n in statuses.items() if int(k) >= 400)
    pct = data.get("latencyPercentiles", {})

    def ms(seconds):
        return None if seconds is None else seconds * 1000.0

    return {
        "requests_per_second": data["summary"]["requestsPerSec"],
        "latency_ms": {
            "p50": ms(pct.get("p50")),
            "p99": ms(pct.get("p99")),
            "mean": ms(data["summary"].get("average")),
        },
        "requests": answered + errors,
        "errors": errors + failed_answers,
        "duration_s": data["summary"]["total"],
    }


PARSERS = {"wrk": parse_wrk, "autocannon": parse_autocannon, "oha": parse_oha}


def rounded(value, digits=3):
    return None if value is None else round(float(value), digits)


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def command_output(*argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else None


def node_package_version(kit_dir, name):
    path = os.path.join(kit_dir, "node_modules", name, "package.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("version")
    except (OSError, ValueError):
        return None


def python_package_version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_facts(kit_dir, tool_version):
    node = command_output("node", "--version")
    frameworks = {
        "fastapi": python_package_version("fastapi"),
        "starlette": python_package_version("starlette"),
        "pydantic": python_package_version("pydantic"),
        "uvicorn": python_package_version("uvicorn"),
        "uvloop": python_package_version("uvloop"),
        "httptools": python_package_version("httptools"),
        "express": node_package_version(kit_dir, "express"),
        "fastify": node_package_version(kit_dir, "fastify"),
    }
    return {
        "cpus": os.cpu_count(),
        "model": cpu_model(),
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "node": node.lstrip("v") if node else None,
        "tool": tool_version,
        "frameworks": {k: v for k, v in frameworks.items() if v},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--kit-dir", required=True)
    parser.add_argument("--tool-version", required=True)
    parser.add_argument("--notes", default=None)
    args = parser.parse_args()

    runs = []
    with open(args.manifest, encoding="utf-8") as manifest:
        for line in manifest:
            if not line.strip():
                continue
            (stack, endpoint, workers, tool, connections, url, server, cpu_layout, shared,
             raw_path) = line.rstrip("\n").split("\t")
            try:
                with open(raw_path, encoding="utf-8") as f:
                    figures = PARSERS[tool](f.read())
                if not figures["requests_per_second"] > 0:
                    raise CollectError("no request completed")
            except (CollectError, KeyError, ValueError, TypeError, OSError) as err:
                print(f"collect.py: {stack} {endpoint}: cannot read the {tool} output "
                      f"{raw_path}: {err}", file=sys.stderr)
                return 1
            latency = {k: rounded(v) for k, v in figures["latency_ms"].items() if v is not None}
            runs.append({
                "stack": stack,
                "endpoint": endpoint,
                "workers": int(workers),
                "tool": tool,
                "url": url,
                "server": server,
                "cpus": cpu_layout,
                "load_tool_shared_cpus": shared == "1",
                "requests_per_second": rounded(figures["requests_per_second"], 2),
                "latency_ms": latency,
                "requests": int(figures["requests"]),
                "errors": int(figures["errors"]),
                "duration_s": rounded(figures["duration_s"]),
                "connections": int(connections),
            })
    if not runs:
        print("collect.py: no runs in the manifest", file=sys.stderr)
        return 1

    document = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine_facts(args.kit_dir, args.tool_version),
        "runs": runs,
    }
    if args.notes:
        document["notes"] = args.notes
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
