#!/usr/bin/env bash
# npuctl bench: a short smoke run that checks it works and reports every key,
# with numbers that are numbers. Not a timed test: no figure is judged here.
set -u
. "$(dirname "$0")/lib.sh"
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"

"$NPUCTL" bench --device sim --quick --runs 2 --json >"$tmp/b.json" 2>"$tmp/err"
expect_rc "bench --json" 0 $?
json_check "fw_load" "$tmp/b.json" 'd["fw_load"]["ratio"] > 0 and d["fw_load"]["us"]["median"] > 0'
json_check "boot" "$tmp/b.json" 'd["boot"]["median_us"] > 0 and d["boot"]["p99_us"] >= d["boot"]["min_us"]'
json_check "job_rtt" "$tmp/b.json" 'd["job_rtt"]["spsc_rtt_ns"] > 0 and d["job_rtt"]["ratio"] > 0 and d["job_rtt"]["floor_ns"] > 0 and d["job_rtt"]["floor_ratio"] > 0 and d["job_rtt"]["ratio_range"]["max"] >= d["job_rtt"]["ratio_range"]["min"]'
json_check "driver cpu" "$tmp/b.json" 'd["driver_cpu_per_job_ns"] > 0 and d["driver_cpu"]["register_reads_per_job"] >= 1 and d["driver_cpu"]["register_writes_per_job"] >= 1 and d["driver_cpu"]["register_access_ns_per_job"] > 0'
json_check "throughput" "$tmp/b.json" 'd["throughput"]["copy_ratio"] > 0 and d["throughput"]["copy_ratio_range"]["max"] > 0 and d["throughput"]["memcpy_gbps"] > 0 and d["throughput"]["nop_jobs_per_s"]["median"] > 0'
json_check "daemon_rtt" "$tmp/b.json" 'd["daemon_rtt"]["socket_rtt_us"] > 0 and d["daemon_rtt"]["ratio"] > 0'
json_check "scaling" "$tmp/b.json" '[s["clients"] for s in d["scaling"]] == [1, 4, 16, 64] and all(s["jobs_per_s"] > 0 and s["p99_us"] > 0 for s in d["scaling"])'
json_check "priority" "$tmp/b.json" 'd["priority"]["scheduling"] == "hws" and all(d["priority"][k]["p99"] > 0 and d["priority"][k]["median"] > 0 for k in ("realtime_alone_us", "realtime_under_flood_us", "normal_under_flood_us")) and d["priority"]["flood_jobs_per_s_alone"] > 0 and d["priority"]["flood_jobs_per_s_with_realtime"] > 0 and isinstance(d["priority"]["goal_met"], bool)'
json_check "memory" "$tmp/b.json" 'd["memory"]["npud_rss_idle_kib"] > 0 and d["memory"]["npud_rss_64_clients_kib"] > 0 and d["memory"]["npud_bytes"] > 0'
grep -q "^bench: jobs" "$tmp/err" && ok || bad "no progress lines on stderr: $(head -c 300 "$tmp/err")"

"$NPUCTL" bench --device sim --quick --runs 1 --no-daemon >"$tmp/b.txt" 2>"$tmp/err"
expect_rc "bench (words)" 0 $?
grep -q "^job_rtt" "$tmp/b.txt" && grep -q "^COPY" "$tmp/b.txt" && grep -q "daemon figures not measured: --no-daemon" "$tmp/b.txt" && ok || bad "text output: $(cat "$tmp/b.txt")"

"$NPUCTL" bench --device 0000:00:0b.0 --quick >/dev/null 2>"$tmp/err"
expect_rc "bench on hardware" 2 $?
"$NPUCTL" bench --runs 0 >/dev/null 2>"$tmp/err"
expect_rc "bench --runs 0" 2 $?
finish
