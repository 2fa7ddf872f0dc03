#!/usr/bin/env bash
# Supply chain: pip-audit over the installed environment (.venv), against a vulnerability service: PyPI's
# JSON API first, then OSV (api.osv.dev) when PyPI could not answer.
#
# Needs the network; the test suite never does. Exit codes:
#   0  every installed distribution was checked and none is known-vulnerable (documented exceptions in
#      bench/audit-ignore.txt aside)
#   1  known vulnerabilities found (listed)
#   3  the audit could not be done: no service was reachable, or none knew the packages (as behind a
#      registry mirror, where every lookup answers "not found"); nothing is claimed then
# Run it in CI with network access, or by hand:  bash bench/audit.sh
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
if [[ ! -x "$BIN/pip-audit" ]]; then
  echo "audit.sh: $BIN/pip-audit is missing (pip install -e '.[test]')" >&2
  exit 3
fi
ignores=()
if [[ -f bench/audit-ignore.txt ]]; then
  # one "VULN-ID  reason" a line; '#' starts a comment
  while read -r id _; do
    [[ -z "$id" || "$id" == \#* ]] && continue
    ignores+=(--ignore-vuln "$id")
  done < bench/audit-ignore.txt
fi
json=$(mktemp)
log=$(mktemp)
trap 'rm -f "$json" "$log"' EXIT

# audit SERVICE: 0 clean, 1 vulnerable, 3 could not audit (with the reason on stderr)
audit() {
  : >"$json"
  "$BIN/pip-audit" --vulnerability-service "$1" --skip-editable --progress-spinner off --timeout 20 \
    --format json --output "$json" "${ignores[@]}" >"$log" 2>&1
  local rc=$?
  if [[ ! -s "$json" ]]; then
    tail -n 3 "$log" >&2
    echo "audit.sh: $1: pip-audit gave no report (exit $rc); the service is probably unreachable" >&2
    return 3
  fi
  "$BIN/python" - "$json" "$1" <<'PY'
import json, sys

report = json.load(open(sys.argv[1]))
service = sys.argv[2]
deps = report.get("dependencies", [])
skipped = [d for d in deps if d.get("skip_reason") and "editable" not in d["skip_reason"]]
checked = [d for d in deps if not d.get("skip_reason")]
vulns = [(d["name"], d["version"], v["id"], ", ".join(v.get("fix_versions") or []) or "no fix")
         for d in checked for v in d.get("vulns", [])]
for name, version, vid, fix in vulns:
    print(f"VULNERABLE {name} {version}: {vid} (fixed in {fix})")
print(f"audit.sh: {service}: {len(checked)} distributions checked, {len(vulns)} known vulnerabilities, "
      f"{len(skipped)} could not be checked")
if vulns:
    sys.exit(1)
if skipped:
    for d in skipped[:3]:
        print(f"  not checked: {d['name']} {d.get('version', '')}: {d['skip_reason']}", file=sys.stderr)
    print(f"audit.sh: {service}: incomplete audit (does the service know these packages from here?)", file=sys.stderr)
    sys.exit(3)
PY
}

for service in pypi osv; do
  audit "$service"
  rc=$?
  [[ $rc -ne 3 ]] && exit $rc
done
echo "audit.sh: NOT AUDITED: no vulnerability service could check the environment from here (offline or" \
  "behind a registry mirror); nothing is claimed" >&2
exit 3
