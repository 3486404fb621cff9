"""Turns the scanners' JSON into one finding per line and judges them against the allow-list.

A finding is `<source> <tool> <check> <Kind>/<name>`, where source is the scanned file's name
without .yaml (render-<sample> or chart). An allow-list line is four shell-style globs in the same
order, then ` -- ` and the reason (required). Blank lines and # comments are ignored.
"""
import fnmatch
import glob
import json
import os
import sys


def kube_score(out):
    for path in sorted(glob.glob(os.path.join(out, "*.kube-score.json"))):
        source = os.path.basename(path)[: -len(".kube-score.json")]
        with open(path) as f:
            text = f.read().strip()
        if not text:
            raise SystemExit(f"scanners: kube-score printed nothing for {source}")
        for obj in json.loads(text) or []:
            kind = obj.get("type_meta", {}).get("kind", "?")
            name = obj.get("object_meta", {}).get("name") or obj.get("object_name", "?")
            for check in obj.get("checks") or []:
                # Grades: 1 critical, 5 warning, 7 almost OK, 10 OK. Skipped checks are not findings.
                if check.get("skipped") or check.get("grade", 10) >= 7:
                    continue
                yield (source, "kube-score", check["check"]["id"], f"{kind}/{name}")


def checkov(out):
    path = os.path.join(out, "checkov.json")
    with open(path) as f:
        text = f.read().strip()
    if not text:
        err = open(os.path.join(out, "checkov.err")).read()
        raise SystemExit("scanners: Checkov printed nothing:\n" + err[-2000:])
    data = json.loads(text)
    reports = data if isinstance(data, list) else [data]
    for report in reports:
        for failed in report.get("results", {}).get("failed_checks", []):
            source = os.path.basename(failed["file_path"])
            source = source[:-5] if source.endswith(".yaml") else source
            # resource: Kind.namespace.name, and for the graph checks (CKV2_*) the pod's labels after it
            parts = failed["resource"].split(".")
            kind, name = parts[0], parts[2] if len(parts) > 2 else parts[-1]
            yield (source, "checkov", failed["check_id"], f"{kind}/{name}")


def allow_list(path):
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, sep, why = line.partition(" -- ")
            fields = pattern.split()
            if not sep or not why.strip() or len(fields) != 4:
                raise SystemExit(f"{path}:{n}: want `<source> <tool> <check> <Kind/name> -- <why>`: {line}")
            entries.append((n, fields, why.strip()))
    return entries


def main(out, allow_path):
    findings = sorted(set(kube_score(out)) | set(checkov(out)))
    entries = allow_list(allow_path)
    used = set()
    bad = []
    for finding in findings:
        hit = [n for n, fields, _ in entries if all(fnmatch.fnmatchcase(v, p) for v, p in zip(finding, fields))]
        used.update(hit)
        if not hit:
            bad.append(finding)
    by_check = {}
    for f in findings:
        by_check.setdefault((f[1], f[2]), []).append(f)
    print(f"scanners: {len(findings)} findings, {len(findings) - len(bad)} allowed, {len(bad)} not allowed")
    for (tool, check), fs in sorted(by_check.items()):
        print(f"  {tool} {check}: {len(fs)}")
    for n, fields, why in entries:
        if n not in used:
            print(f"stale allow-list entry (line {n}, matches nothing now): {' '.join(fields)} -- {why}")
    for f in bad:
        print("NOT ALLOWED: " + " ".join(f))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
