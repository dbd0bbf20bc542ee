"""Checks the written heldout6 fixtures for Kubernetes consistency:
python3 testdata/heldout6/gen/check.py. It reads only the fixture files and
exits non-zero listing every problem. It says nothing about what an
analyzer would answer."""

import glob
import os
import re
import sys
from datetime import datetime, timezone

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z) ")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} (\S+) (\d+)$")


def t(s):
    s = re.sub(r"\.\d+Z$", "Z", s)
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def check(d):
    errs = []
    meta = yaml.safe_load(open(os.path.join(d, "scenario.yaml")))
    now = t(meta["now"])
    objs = list(yaml.safe_load_all(open(os.path.join(d, "kube", "objects.yaml"))))
    by = {}
    for o in objs:
        md = o["metadata"]
        by[(o["kind"], md.get("namespace", "") if o["kind"] not in ("Node", "PersistentVolume") else "", md["name"])] = o

    def exists(kind, ns, name, u=None):
        o = by.get((kind, ns if kind not in ("Node", "PersistentVolume") else "", name))
        if o is None:
            return False
        return u is None or o["metadata"].get("uid") == u

    if t(meta["alert"]["startsAt"]) > now:
        errs.append("alert starts after now")
    for o in objs:
        md, kind = o["metadata"], o["kind"]
        ns = md.get("namespace", "")
        where = f"{kind} {ns}/{md['name']}"
        if "creationTimestamp" in md and t(md["creationTimestamp"]) > now:
            errs.append(f"{where}: created after now")
        for ref in md.get("ownerReferences", []):
            if not exists(ref["kind"], ns, ref["name"], ref["uid"]):
                errs.append(f"{where}: owner {ref['kind']}/{ref['name']} missing or uid differs")
        if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"):
            sel = o["spec"]["selector"]["matchLabels"]
            tl = o["spec"]["template"]["metadata"]["labels"]
            if any(tl.get(k) != v for k, v in sel.items()):
                errs.append(f"{where}: selector does not match template labels")
        if kind == "Pod":
            labels = md.get("labels", {})
            for ref in md.get("ownerReferences", []):
                owner = by.get((ref["kind"], ns, ref["name"]))
                if owner and "selector" in owner.get("spec", {}):
                    sel = owner["spec"]["selector"]["matchLabels"]
                    if any(labels.get(k) != v for k, v in sel.items()):
                        errs.append(f"{where}: labels do not match {ref['kind']} selector")
                if ref["kind"] == "ReplicaSet" and ref["name"].rsplit("-", 1)[1] != labels.get("pod-template-hash"):
                    errs.append(f"{where}: pod-template-hash differs from its ReplicaSet")
            nn = o["spec"].get("nodeName")
            if nn and not exists("Node", "", nn):
                errs.append(f"{where}: node {nn} missing")
            for cs in o["status"].get("containerStatuses", []):
                if cs["restartCount"] > 0 and not cs.get("lastState"):
                    errs.append(f"{where}: {cs['name']} restarted without a lastState")
                last = cs.get("lastState", {}).get("terminated")
                if last and last["reason"] == "OOMKilled" and last["exitCode"] != 137:
                    errs.append(f"{where}: OOMKilled with exit {last['exitCode']}")
            names = {c["name"] for c in o["spec"]["containers"]}
            if o["status"].get("containerStatuses") and names != {cs["name"] for cs in o["status"]["containerStatuses"]}:
                errs.append(f"{where}: container statuses differ from containers")
        if kind == "Event":
            ref = o.get("involvedObject") or o.get("regarding")
            rns = ref.get("namespace", "")
            if not exists(ref["kind"], rns, ref["name"], ref.get("uid")):
                errs.append(f"{where}: involved {ref['kind']} {rns}/{ref['name']} missing or uid differs")
            last = o.get("lastTimestamp") or (o.get("series") or {}).get("lastObservedTime") or o.get("eventTime")
            if last and t(last) > now:
                errs.append(f"{where}: event after now")
        if kind == "Endpoints":
            for ss in o.get("subsets", []):
                for a in ss.get("addresses", []) + ss.get("notReadyAddresses", []):
                    r = a["targetRef"]
                    if not exists("Pod", ns, r["name"], r["uid"]):
                        errs.append(f"{where}: endpoint pod {r['name']} missing")
        if kind == "PersistentVolumeClaim" and o["spec"].get("volumeName"):
            pv = by.get(("PersistentVolume", "", o["spec"]["volumeName"]))
            if not pv or pv["spec"]["claimRef"]["name"] != md["name"]:
                errs.append(f"{where}: volume {o['spec']['volumeName']} missing or bound elsewhere")
    e = meta["expect"]["entity"]
    if e["kind"] != "External" and not exists(e["kind"], e.get("namespace", ""), e["name"]):
        errs.append(f"expected entity {e} not among the objects")
    lab = meta["alert"]["labels"]
    if "pod" in lab and not exists("Pod", lab.get("namespace", ""), lab["pod"]):
        errs.append(f"alert pod {lab['pod']} missing")
    for f in glob.glob(os.path.join(d, "logs", "*", "*", "*.log")):
        ns, pname = f.split(os.sep)[-3:-1]
        if not exists("Pod", ns, pname):
            errs.append(f"log for missing pod {ns}/{pname}")
        cname = os.path.basename(f).split(".")[0]
        p = by.get(("Pod", ns, pname))
        if p and cname not in {c["name"] for c in p["spec"]["containers"]}:
            errs.append(f"log for missing container {ns}/{pname}/{cname}")
        for i, line in enumerate(open(f).read().splitlines()):
            mt = STAMP.match(line)
            if not mt:
                errs.append(f"{f}:{i + 1}: no RFC3339 timestamp")
                break
            if t(mt.group(1)) > now:
                errs.append(f"{f}:{i + 1}: line after now")
                break
    om = os.path.join(d, "metrics.om")
    if os.path.exists(om):
        lines = open(om).read().splitlines()
        if lines[-1] != "# EOF":
            errs.append("metrics.om does not end in # EOF")
        for line in lines:
            if line.startswith("#"):
                continue
            mt = SAMPLE.match(line)
            if not mt:
                errs.append(f"metrics.om: bad sample {line[:80]}")
                break
            if datetime.fromtimestamp(int(mt.group(4)), timezone.utc) > now:
                errs.append(f"metrics.om: sample after now: {line[:80]}")
                break
    return errs


def main():
    bad = 0
    dirs = sorted(glob.glob(os.path.join(ROOT, "h6-*")))
    for d in dirs:
        for e in check(d):
            bad += 1
            print(f"{os.path.basename(d)}: {e}")
    print(f"checked {len(dirs)} scenarios, {bad} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
