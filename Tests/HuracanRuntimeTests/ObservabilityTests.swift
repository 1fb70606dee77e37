import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HuracanCore
import HuracanHTTP
import HuracanTestSupport
@testable import HuracanRuntime
import ServiceLifecycle
import Synchronization
import Testing

/// The observability files shipped with the engine: `dashboards/` (Grafana), `deploy/prometheus/`
/// (scrape configuration and alert rules) and `deploy/grafana/provisioning/`.
///
/// The live test's acceptance: every PromQL expression in every dashboard panel and every alert
/// rule returns data from a real Prometheus scraping a running engine. Dashboards are queried as
/// they are, with Grafana's interval variables (`$__rate_interval`, `$__interval`, `$__range`) set
/// to 1m. Alert rules are queried without their threshold comparison (`<quantity> > 0.05` is
/// queried as `<quantity>`): a healthy engine must not fire them, but the quantity each one watches
/// must exist. The one exception is a rule on a metric listed in `notYetExported` (the message
/// bus is not built yet): the engine must not export it yet (so the exception is removed when it
/// does) and the rule must evaluate without error to nothing.
enum Observability {
    static let notYetExported: [String] = []
    /// Metrics only live runs export (a simulated run has no venue to reconcile with): like
    /// `notYetExported`, a simulated engine must not export them and their rules must evaluate,
    /// to nothing. `LiveFaultMatrixTests` reads the same figures from a live run's summary.
    static let liveOnly: [String] = ["huracan_position_drift_coins"]
    /// The uid the provisioned datasource declares and the dashboards refer to.
    static let datasourceUID = "huracan-prometheus"

    static var repository: URL { TestPaths.repository }
    static var alertsFile: URL { repository.appendingPathComponent("deploy/prometheus/alerts.yml") }
    static var prometheusConfig: URL { repository.appendingPathComponent("deploy/prometheus/prometheus.yml") }

    struct Dashboard: Decodable {
        struct DataSource: Decodable { let type: String; let uid: String }
        struct GridPos: Decodable { let h: Int; let w: Int; let x: Int; let y: Int }
        struct Target: Decodable { let refId: String; let expr: String; let datasource: DataSource }
        struct Panel: Decodable {
            let id: Int
            let type: String
            let title: String
            let gridPos: GridPos
            let datasource: DataSource?
            let targets: [Target]
        }
        let schemaVersion: Int
        let uid: String
        let title: String
        let panels: [Panel]
    }

    static func dashboardFiles() throws -> [URL] {
        let folder = repository.appendingPathComponent("dashboards")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func dashboards() throws -> [(file: String, dashboard: Dashboard)] {
        try dashboardFiles().map { ($0.lastPathComponent, try JSONDecoder().decode(Dashboard.self, from: Data(contentsOf: $0))) }
    }

    /// Every panel expression, with where it comes from, Grafana variables replaced.
    static func dashboardExpressions() throws -> [(source: String, expr: String)] {
        try dashboards().flatMap { file, dashboard in
            dashboard.panels.flatMap { panel in
                panel.targets.map { target in
                    var expr = target.expr
                    for variable in ["$__rate_interval", "$__interval", "$__range"] { expr = expr.replacingOccurrences(of: variable, with: "1m") }
                    return ("\(file) / \(panel.title) / \(target.refId)", expr)
                }
            }
        }
    }

    /// Alert names in the rules file (`- alert: Name` lines).
    static func alertNames() throws -> Set<String> {
        let text = try String(contentsOf: alertsFile, encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- alert:") else { return nil }
            return trimmed.dropFirst("- alert:".count).trimmingCharacters(in: .whitespaces)
        })
    }

    /// `quantity <op> number` -> `quantity`; other expressions unchanged.
    static func withoutThreshold(_ expr: String) -> String {
        let tokens = expr.split(separator: " ", omittingEmptySubsequences: true)
        guard tokens.count >= 3, ["==", "!=", ">", "<", ">=", "<="].contains(String(tokens[tokens.count - 2])),
              Double(tokens[tokens.count - 1]) != nil else { return expr }
        return tokens.dropLast(2).joined(separator: " ")
    }

    /// The prometheus and promtool binaries; without them the test is skipped (see `MissingTool`).
    static func tool(_ name: String) throws -> String {
        try MissingTool.path(name, install: "apt-get install prometheus")
    }
}

@Suite struct ObservabilityTests {
    @Test func promtoolAcceptsTheAlertRulesAndTheConfiguration() throws {
        let promtool = try Observability.tool("promtool")
        let rules = try ExternalTool.run(promtool, ["check", "rules", Observability.alertsFile.path])
        #expect(rules.status == 0, "promtool check rules: \(rules.output)")
        #expect(rules.output.contains("SUCCESS: \(try Observability.alertNames().count) rules found"), "\(rules.output)")

        // On a copy, with the rules file beside it as the configuration expects.
        let folder = TestPaths.temporaryDirectory("huracan-promconfig")
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in [Observability.prometheusConfig, Observability.alertsFile] {
            try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent))
        }
        let config = try ExternalTool.run(promtool, ["check", "config", folder.appendingPathComponent("prometheus.yml").path])
        #expect(config.status == 0, "promtool check config: \(config.output)")
        let text = try String(contentsOf: Observability.prometheusConfig, encoding: .utf8)
        #expect(text.contains("job_name: huracan") && text.contains("\"127.0.0.1:9090\""), "scrapes the engine at 127.0.0.1:9090")
        #expect(text.contains("--web.listen-address=127.0.0.1:9091"), "documents running Prometheus beside the engine's port")
    }

    @Test func alertRulesHaveTheExpectedAlerts() throws {
        let names = try Observability.alertNames()
        for name in ["HuracanEngineDown", "HuracanTradingNotActive", "HuracanBreakerTripped", "HuracanCoinBreakersFrequent", "HuracanHighErrorRate",
                     "HuracanLatencyP99High", "HuracanBusConsumerLagHigh"] {
            #expect(names.contains(name), "\(name) is defined")
        }
        let operations = try String(contentsOf: Observability.repository.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        for name in names { #expect(operations.contains("### \(name)"), "docs/operations.md explains \(name)") }
    }

    @Test func dashboardsHaveGrafanaStructure() throws {
        let dashboards = try Observability.dashboards()
        let titles = dashboards.map(\.dashboard.title)
        for wanted in ["System Health", "P&L", "Risk", "Cost"] {
            #expect(titles.contains { $0.contains(wanted) }, "a \(wanted) dashboard exists")
        }
        #expect(Set(dashboards.map(\.dashboard.uid)).count == dashboards.count, "dashboard uids are unique")
        let provisioning = try String(contentsOf: Observability.repository.appendingPathComponent("deploy/grafana/provisioning/datasources/huracan.yml"),
                                      encoding: .utf8)
        #expect(provisioning.contains("uid: \(Observability.datasourceUID)") && provisioning.contains("type: prometheus"))
        let provider = try String(contentsOf: Observability.repository.appendingPathComponent("deploy/grafana/provisioning/dashboards/huracan.yml"),
                                  encoding: .utf8)
        #expect(provider.contains("type: file") && provider.contains("path:"))
        for (file, dashboard) in dashboards {
            #expect((30...41).contains(dashboard.schemaVersion), "\(file): schemaVersion \(dashboard.schemaVersion)")
            #expect(!dashboard.uid.isEmpty && dashboard.uid.count <= 40 && !dashboard.title.isEmpty, "\(file): uid and title")
            #expect(!dashboard.panels.isEmpty, "\(file) has panels")
            #expect(Set(dashboard.panels.map(\.id)).count == dashboard.panels.count, "\(file): panel ids are unique")
            for (i, panel) in dashboard.panels.enumerated() {
                let where_ = "\(file) / \(panel.title)"
                #expect(!panel.type.isEmpty && !panel.title.isEmpty, "\(where_): type and title")
                let g = panel.gridPos
                #expect(g.x >= 0 && g.y >= 0 && g.w > 0 && g.h > 0 && g.x + g.w <= 24, "\(where_): gridPos inside the 24-column grid")
                for other in dashboard.panels[..<i] {
                    let o = other.gridPos
                    let overlaps = g.x < o.x + o.w && o.x < g.x + g.w && g.y < o.y + o.h && o.y < g.y + g.h
                    #expect(!overlaps, "\(where_) overlaps \(other.title)")
                }
                #expect(!panel.targets.isEmpty, "\(where_) has targets")
                #expect(Set(panel.targets.map(\.refId)).count == panel.targets.count, "\(where_): refIds are unique")
                for target in panel.targets {
                    #expect(target.expr.contains("huracan_") || target.expr.contains("up{"), "\(where_): expr")
                    #expect(target.datasource.type == "prometheus", "\(where_): datasource type")
                    #expect([Observability.datasourceUID, "${DS_PROMETHEUS}"].contains(target.datasource.uid), "\(where_): datasource uid")
                }
            }
        }
    }

    @Test func thresholdsAreStrippedFromAlertExpressions() {
        #expect(Observability.withoutThreshold("up{job=\"huracan\"} == 0") == "up{job=\"huracan\"}")
        #expect(Observability.withoutThreshold("sum(rate(a[5m])) / sum(rate(b[5m])) > 0.001") == "sum(rate(a[5m])) / sum(rate(b[5m]))")
        #expect(Observability.withoutThreshold("huracan_equity") == "huracan_equity")
    }
}

// MARK: live


/// Keeps an engine running on its own thread in small simulated steps, so its metrics change
/// while Prometheus scrapes them.
final class BackgroundEngine: Sendable {
    private let stopRequested = Atomic(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Runs `engine` on its own thread until `stop` (the caller keeps to `engine.handle` meanwhile).
    init(_ engine: Engine) {
        let running = ThreadHandOff(engine)
        let thread = Thread { [self] in
            let engine = running.value
            while !stopRequested.load(ordering: .relaxed) {
                engine.run(until: engine.now + .seconds(10), pacing: .asFastAsPossible, statusInterval: 0.25)
                Thread.sleep(forTimeInterval: 0.05)   // the loop's pace between runs, not a wait
            }
            finished.signal()
        }
        thread.name = "observability-engine"
        thread.start()
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        finished.wait()
    }
}

/// A throwaway Prometheus on 127.0.0.1 with its own configuration and storage in `folder`.
final class PrometheusProcess {
    let process = Process()
    let port: Int
    let folder: URL
    var log: String { (try? String(contentsOf: folder.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? "" }

    init(binary: String, configFile: URL, port: Int, folder: URL) throws {
        self.port = port
        self.folder = folder
        let logFile = folder.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--config.file=\(configFile.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
                             "--web.listen-address=127.0.0.1:\(port)", "--storage.tsdb.retention.time=1h", "--log.level=warn"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// Stops the process this test started (SIGTERM, then SIGKILL after 5 s).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }   // poll interval
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func get(_ path: String) async throws -> (status: Int, body: Data) {
        try await http(URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!))
    }

    /// An instant query; returns the result list, or throws with Prometheus's error.
    func query(_ expr: String) async throws -> [[String: Any]] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/query")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(("query=" + expr.addingPercentEncoding(withAllowedCharacters: allowed)!).utf8)
        let (status, body) = try await http(request)
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        guard status == 200, json["status"] as? String == "success", let data = json["data"] as? [String: Any] else {
            throw PrometheusError(message: "\(expr): HTTP \(status) \(String(decoding: body, as: UTF8.self))")
        }
        if data["resultType"] as? String == "scalar" { return [["value": data["result"] ?? []]] }
        return data["result"] as? [[String: Any]] ?? []
    }

    /// The loaded alerting rules: name, query, health, last error, evaluated yet.
    func rules() async throws -> [(name: String, query: String, health: String, lastError: String, evaluated: Bool)] {
        let (_, body) = try await get("/api/v1/rules")
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        let groups = (json["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        return groups.flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }.map { rule in
            let lastEvaluation = rule["lastEvaluation"] as? String ?? ""
            return (rule["name"] as? String ?? "", rule["query"] as? String ?? "", rule["health"] as? String ?? "",
                    rule["lastError"] as? String ?? "", !lastEvaluation.isEmpty && !lastEvaluation.hasPrefix("0001-"))
        }
    }
}

struct PrometheusError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

func http(_ request: URLRequest) async throws -> (status: Int, body: Data) {
    var request = request
    request.timeoutInterval = 5
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
}

/// Values of a query result (`value: [time, "number"]`).
func values(_ result: [[String: Any]]) -> [Double] {
    result.compactMap { ($0["value"] as? [Any])?.last as? String }.compactMap(Double.init)
}

/// `{label=value} number` for each sample, leaving out job and instance.
func describe(_ result: [[String: Any]]) -> String {
    result.map { sample in
        let labels = ((sample["metric"] as? [String: String]) ?? [:]).filter { !["job", "instance"].contains($0.key) }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let value = (sample["value"] as? [Any])?.last as? String ?? "?"
        return labels.isEmpty ? value : "{\(labels)} \(value)"
    }.joined(separator: " ")
}

extension ObservabilityTests {
    @Test(.timeLimit(.minutes(1))) func everyDashboardAndAlertExpressionReturnsDataFromPrometheus() async throws {
        let prometheusBinary = try Observability.tool("prometheus")
        let started = Date()

        // An engine with closed trades, then kept running in small steps.
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 8, perLoop: 4), start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(2 * 3_600), pacing: .asFastAsPossible)
        _ = engine.status()
        #expect(!engine.closedTrades.isEmpty)
        let background = BackgroundEngine(engine)
        defer { background.stop() }

        // Its admin server, /metrics included.
        let ports = try FreePorts.take(2)
        let (enginePort, prometheusPort) = (ports[0], ports[1])
        let admin = EngineAdmin(engine: engine.handle, maxCoins: 400, maxConcurrentTrades: 500)
        let server = ServiceGroup(configuration: .init(
            services: [AdminServer(backend: admin, token: nil).application(host: "127.0.0.1", port: enginePort)], logger: quiet))
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }
        let metricsURL = URLRequest(url: URL(string: "http://127.0.0.1:\(enginePort)/metrics")!)
        let serving = await eventually(.seconds(10)) { (try? await http(metricsURL).status) == 200 }
        try #require(serving, "the admin server answers /metrics on port \(enginePort)")
        let exported = String(decoding: try await http(metricsURL).body, as: UTF8.self)

        // Prometheus with the shipped configuration and rules, pointed at this engine, scraping every second.
        let folder = TestPaths.temporaryDirectory("huracan-prometheus")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = try String(contentsOf: Observability.prometheusConfig, encoding: .utf8)
        #expect(config.contains("scrape_interval: 5s") && config.contains("evaluation_interval: 15s") && config.contains("\"127.0.0.1:9090\""))
        config = config.replacingOccurrences(of: "scrape_interval: 5s", with: "scrape_interval: 1s")
            .replacingOccurrences(of: "evaluation_interval: 15s", with: "evaluation_interval: 1s")
            .replacingOccurrences(of: "\"127.0.0.1:9090\"", with: "\"127.0.0.1:\(enginePort)\"")
            .replacingOccurrences(of: "\"127.0.0.1:9091\"", with: "\"127.0.0.1:\(prometheusPort)\"")
        let configFile = folder.appendingPathComponent("prometheus.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Observability.alertsFile, to: folder.appendingPathComponent("alerts.yml"))
        let prometheus = try PrometheusProcess(binary: prometheusBinary, configFile: configFile, port: prometheusPort, folder: folder)
        defer { prometheus.stop() }

        let ready = await eventually(.seconds(15)) { (try? await prometheus.get("/-/ready").status) == 200 }
        try #require(ready, "prometheus became ready; log:\n\(prometheus.log)")
        // A few scrapes, so rates over 1m have samples to work with.
        let scraped = await eventually(.seconds(15)) {
            let up = (try? await prometheus.query("up{job=\"huracan\"}")).map(values) ?? []
            let scrapes = (try? await prometheus.query("count_over_time(up{job=\"huracan\"}[1m])")).map(values) ?? []
            return up == [1] && (scrapes.first ?? 0) >= 4
        }
        try #require(scraped, "prometheus scraped the engine; log:\n\(prometheus.log)")
        // Every alert rule evaluated (again after the scrapes).
        let rulesReady = await eventually(.seconds(10)) {
            let rules = (try? await prometheus.rules()) ?? []
            return !rules.isEmpty && rules.allSatisfy { $0.evaluated && $0.health == "ok" }
        }
        let rules = try await prometheus.rules()
        #expect(rulesReady, "every rule evaluates: \(rules.filter { $0.health != "ok" }.map { "\($0.name): \($0.health) \($0.lastError)" })")
        #expect(Set(rules.map(\.name)) == (try Observability.alertNames()), "prometheus loaded every rule of alerts.yml")

        // Dashboard panels: as they are.
        var checked: [String: [[String: Any]]] = [:]
        var notes: [String] = []
        for (source, expr) in try Observability.dashboardExpressions() {
            #expect(!expr.contains("$"), "\(source): unreplaced variable in \(expr)")
            do {
                let result: [[String: Any]]
                if let known = checked[expr] { result = known } else { result = try await prometheus.query(expr) }
                checked[expr] = result
                #expect(!result.isEmpty, "\(source): `\(expr)` returned no data")
                if !result.isEmpty, values(result).allSatisfy(\.isNaN) { notes.append("\(source): NaN") }
            } catch {
                Issue.record("\(source): \(error)")
            }
        }
        // Alert rules: the quantity each one compares with its threshold.
        var quantities: [String] = []
        for rule in rules {
            let quantity = Observability.withoutThreshold(rule.query)
            #expect(quantity != rule.query, "\(rule.name): `\(rule.query)` has the form `<quantity> <comparison> <threshold>`")
            do {
                let result = try await prometheus.query(quantity)
                if let metric = (Observability.notYetExported + Observability.liveOnly).first(where: { quantity.contains($0) }) {
                    #expect(!exported.contains(metric), "\(metric) is exported by a simulated run now: drop it from Observability.notYetExported / liveOnly")
                    #expect(result.isEmpty)
                } else {
                    #expect(!result.isEmpty, "\(rule.name): `\(quantity)` returned no data")
                    quantities.append("\(rule.name) \(describe(result))")
                }
            } catch {
                Issue.record("\(rule.name): \(error)")
            }
        }
        // The engine is up and healthy, so these must not be firing.
        let firing = try await prometheus.query("ALERTS{alertname=~\"HuracanEngineDown|HuracanShardUnhealthy\"}")
        #expect(firing.isEmpty, "\(firing)")
        await server.triggerGracefulShutdown()
        _ = await serverTask.result
        print("observability: alert quantities now (thresholds stripped): \(quantities.joined(separator: "; "))")
        if !notes.isEmpty { print("observability: expressions with only NaN values (no events in the window): \(notes)") }
        print("observability: \(checked.count) dashboard expressions and \(rules.count) alert rules checked against prometheus in \(Int(Date().timeIntervalSince(started))) s")
    }
}
