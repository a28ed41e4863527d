#!/bin/sh
# Example sys_call hook: prints charts as JSON on stdout, which rally-gate (like Rally)
# stores as the hook's output. Used by rally-jobs/self-test.yaml and Rally's own self-rally task.
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
mem_kb=$(awk '/MemAvailable/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
cat <<JSON
{"additive": [{"title": "Host load", "chart_plugin": "StatsTable", "data": [["load average (1 min)", $load]]}],
 "complete": [{"title": "Host memory", "chart_plugin": "TextArea", "data": ["MemAvailable: $mem_kb kB"]}]}
JSON
