import json, sys
if sys.argv[1] == "discover":
    print(json.dumps({"id": "only", "markers": ["slow"]}))
    sys.exit(0)
for line in iter(sys.stdin.readline, ""):
    tid = line.strip()
    print(json.dumps({"id": tid, "event": "start"}), flush=True)
    print(json.dumps({"id": tid, "outcome": "passed"}), flush=True)
