import Foundation
import HuracanConfig
import HuracanCore
import HuracanTestSupport
@testable import HuracanRuntime
import Testing

/// The HTML report opened in a real browser (headless Chromium): the page loads, its script
/// runs, and it renders to a screenshot.
@Suite(.serialized) struct ReportBrowserTests {
    static func chromium() -> String? {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if let path = ExternalTool.find(name) { return path }
        }
        return nil
    }

    @Test func theReportRendersInABrowserWithAxesTablesAndProvenance() throws {
        guard let browser = Self.chromium() else { try MissingTool.skip("chromium", install: "apt-get install chromium") }
        let config = try testConfig(activeCoins: 8, perLoop: 4)
        let end = day + .seconds(3 * 3_600)
        let (summary, trades) = try EngineRunner.backtest(config: config, from: day, to: end, logger: quiet)
        var report = BacktestReport(title: "Backtest: 8 coins on the simulated market, \(day) to \(end), strategy ml", summary: summary, trades: trades,
                                    from: day, to: end)
        report.provenance = ReportProvenance(config: config, data: "simulated market", seed: config.simulator.seed, models: [:], baselineModel: "baseline")
        let html = report.renderHTML()
        #expect(html.contains("Configuration digest") && html.contains("Returns per hour") && html.contains("01-01 01:30"), "time axis and hourly table")
        let folder = TestPaths.temporaryDirectory("report-browser")
        let page = folder.appendingPathComponent("report.html"), shot = folder.appendingPathComponent("report.png")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1150,2600"]
        let dom = try ExternalTool.run(browser, flags + ["--dump-dom", page.absoluteString])
        #expect(dom.output.contains("data-ready=\"1\""), "the page's script ran: \(dom.output.suffix(500))")
        _ = try ExternalTool.run(browser, flags + ["--screenshot=\(shot.path)", page.absoluteString])
        let png = try Data(contentsOf: shot)
        #expect(png.count > 20_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a rendered screenshot: \(png.count) bytes")
    }
}
