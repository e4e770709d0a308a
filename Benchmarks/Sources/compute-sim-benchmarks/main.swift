// compute-sim-benchmarks: release-only performance checks for ComputeSim.
// Each benchmark prints one JSON object per line on stdout and checks its own result.

import Foundation

func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

#if DEBUG
    printError(
        "compute-sim-benchmarks refuses to run in a debug build: figures would be meaningless.\n"
            + "Run: swift run -c release --package-path Benchmarks compute-sim-benchmarks <name>\n")
    exit(2)
#else

    let usage = """
        usage: compute-sim-benchmarks <benchmark> [options]
          kernel-hold      --pending P --events N [--seed S] [--digest on|off]
          kernel-hold-cpp  --pending P --events N [--seed S]
          kernel-compare   --pending P --events N [--seed S]   (Swift off/on digest and C++ in one run)
          placement        --hosts H --servers S [--seed S] [--candidates K] [--accounts A]
          placement-scaling [--servers-per-host N] [--seed S]   (1k vs 100k hosts, same density)
          filesystem       --servers S   (bytes per server sharing one image tree, with one injection each)
          api              --requests N  (POST /servers + GET /servers/{id} through the JSON facade)
          api-show         --requests N [--servers S]  (GET /servers/{id} through the JSON facade: as a value, written, rendered)
          lifecycle        --hosts H --servers M [--seed S] [--retention-minutes R]   (the reference lifecycle workload, run to completion;
                           with R, deleted servers are archived R minutes after deletion)
          scaling          [--seed S] [--max-hosts H]   (the reference workload at 1k/10k, 10k/100k, 100k/1M)
          torture          --requests N [--seed S] [--seeds K]   (random API requests from several projects; invariants after each)
          full-cloud       --hosts H --servers M [--seed S] [--hours D] [--action-log on]   (M servers created in an hour, then D hours of actions and host failures; no action log or migration records unless asked)
          boot-storm       [--scale S] [--seed N]   (boot-storm.json with S times the hosts, servers and arrival rate; target: S=10 in 10 s)
          churn            [--hosts H] [--live L] [--days D] [--lifetime-hours T] [--retention-minutes R] [--seed S]
                           (L live servers, each deleted and replaced after ~T hours, for D days; deleted ones archived after R minutes)
          churn-compare    [--days D] [same options]   (churn for 1 day and for D days in child processes; target: peak within 10%)
          serve            [--connections N] [--seconds S] [--idle I] [--io-threads T] [--client-threads C] [--spin on|off] [--path P]
                           (compute-sim serve on loopback: GET and create/show/delete over N keep-alive connections, then
                           I idle connections; target: GET >= 20,000/s, p99 < 5 ms at 64)
        """

    do throws(UsageError) {
        let options = try Options(Array(CommandLine.arguments.dropFirst()))
        let lines: [String]
        switch options.benchmark {
        case "kernel-hold": lines = try kernelHold(options, cpp: false)
        case "kernel-hold-cpp": lines = try kernelHold(options, cpp: true)
        case "kernel-compare": lines = try kernelCompare(options)
        case "placement": lines = try placementBenchmark(options)
        case "placement-scaling": lines = try placementScalingBenchmark(options)
        case "filesystem": lines = try fileSystemBenchmark(options)
        case "api": lines = try apiBenchmark(options)
        case "api-show": lines = try apiShowBenchmark(options)
        case "lifecycle": lines = try lifecycleBenchmark(options)
        case "scaling": lines = try scalingBenchmark(options)
        case "full-cloud": lines = try fullCloudBenchmark(options)
        case "torture": lines = try tortureBenchmark(options)
        case "boot-storm": lines = try bootStormBenchmark(options)
        case "churn": lines = try churnBenchmark(options)
        case "churn-compare": lines = try churnCompareBenchmark(options)
        case "serve": lines = try serveBenchmark(options)
        case "help", "--help", "-h":
            print(usage)
            lines = []
        default: throw UsageError("unknown benchmark \"\(options.benchmark)\"")
        }
        for line in lines { print(line) }
    } catch {
        printError("compute-sim-benchmarks: \(error.message)\n\(usage)\n")
        exit(2)
    }
#endif
