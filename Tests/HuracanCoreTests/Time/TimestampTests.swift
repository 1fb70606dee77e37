import Foundation
import HuracanCore
import Testing

private let nanosPerDay: Int64 = 86_400_000_000_000

@Suite("Timestamp and UTCDate")
struct TimestampTests {
    // MARK: UTCDate

    @Test("known dates and their day numbers", arguments: [
        (1970, 1, 1, Int64(0)),
        (1970, 1, 2, 1),
        (1969, 12, 31, -1),
        (2000, 1, 1, 10_957),
        (2000, 2, 29, 11_016),
        (2000, 3, 1, 11_017),
        (2026, 11, 25, 20_782),
        (1900, 3, 1, -25_508),
        (2400, 2, 29, 157_113),
    ])
    func knownDates(year: Int, month: Int, day: Int, days: Int64) {
        let date = UTCDate(year: year, month: month, day: day)
        #expect(date.daysSinceEpoch == days)
        #expect(UTCDate(daysSinceEpoch: days) == date)
        // Int64 nanoseconds span 1677-09-21 ... 2262-04-11; only dates inside have a start Timestamp.
        if abs(days) < 106_000 {
            #expect(date.start == Timestamp(seconds: days * 86_400))
            #expect(date.start.date == date)
            #expect(date.start.dayNumber == days)
        }
    }

    @Test("day numbers and dates agree over four centuries, day by day")
    func walkDays() {
        func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        func length(_ y: Int, _ m: Int) -> Int {
            switch m {
            case 2: isLeap(y) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
        // Walk from 1800-01-01 to 2200-12-31 and check each step is the next calendar day.
        var expected = UTCDate(year: 1800, month: 1, day: 1)
        let first = expected.daysSinceEpoch
        var mismatches = 0
        for n in first...UTCDate(year: 2200, month: 12, day: 31).daysSinceEpoch {
            let date = UTCDate(daysSinceEpoch: n)
            if date != expected || date.daysSinceEpoch != n { mismatches += 1 }
            if expected.day < length(expected.year, expected.month) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = UTCDate(year: expected.year, month: expected.month + 1, day: 1)
            } else {
                expected = UTCDate(year: expected.year + 1, month: 1, day: 1)
            }
        }
        #expect(mismatches == 0)
    }

    @Test("parses YYYY-MM-DD and YYYYMMDD", arguments: [
        ("2026-11-25", 2026, 11, 25),
        ("20261125", 2026, 11, 25),
        ("2000-02-29", 2000, 2, 29),
        ("20000229", 2000, 2, 29),
        ("1970-01-01", 1970, 1, 1),
        ("2024-12-31", 2024, 12, 31),
    ])
    func parses(text: String, year: Int, month: Int, day: Int) throws {
        let date = try #require(UTCDate(parsing: text))
        #expect(date == UTCDate(year: year, month: month, day: day))
    }

    @Test("rejects impossible dates and garbage", arguments: [
        "2026-02-30", "20260230", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-11-00", "2026-11-32", "", "abc", "abcdefgh", "2026-11-2", "2026-1-25", "2026/11/25",
        "202611250", "2026112", "2026-11-25 ", " 2026-11-25", "2026-11-25T00:00:00Z", "+0261125",
        "-20261125", "2026--11-25", "20-26-11-25", "2026-1125", "202611-25", "2026-11-25-",
        "２０２６１１２５", "2026-11-٢٥",
    ])
    func rejects(text: String) {
        #expect(UTCDate(parsing: text) == nil, "\"\(text)\" should not parse")
    }

    @Test("description, compact form and ordering")
    func formatting() {
        let date = UTCDate(year: 2026, month: 3, day: 7)
        #expect(date.description == "2026-03-07")
        #expect(date.compact == "20260307")
        #expect(UTCDate(parsing: date.description) == date)
        #expect(UTCDate(parsing: date.compact) == date)
        #expect(UTCDate(year: 987, month: 1, day: 2).description == "0987-01-02")
        #expect(UTCDate(year: 2025, month: 12, day: 31) < UTCDate(year: 2026, month: 1, day: 1))
        #expect(UTCDate(year: 2026, month: 1, day: 2) > UTCDate(year: 2026, month: 1, day: 1))
    }

    // MARK: Timestamp

    @Test("unit constructors and accessors")
    func units() {
        #expect(Timestamp(seconds: 2).nanoseconds == 2_000_000_000)
        #expect(Timestamp(milliseconds: 2).nanoseconds == 2_000_000)
        #expect(Timestamp(microseconds: 2).nanoseconds == 2_000)
        #expect(Timestamp(nanoseconds: 1_500_000_999).milliseconds == 1_500)
        #expect(Timestamp(milliseconds: 1_500).seconds == 1.5)
        #expect(Timestamp.epoch.nanoseconds == 0)
        #expect(Timestamp(seconds: 1) < Timestamp(seconds: 2))
    }

    @Test("duration arithmetic")
    func durations() {
        let t = Timestamp(seconds: 100)
        #expect(t + .milliseconds(1_500) == Timestamp(milliseconds: 101_500))
        #expect(t - .seconds(1) == Timestamp(seconds: 99))
        #expect(t + .nanoseconds(7) == Timestamp(nanoseconds: 100_000_000_007))
        #expect(t + .milliseconds(-1_500) == Timestamp(milliseconds: 98_500))
        #expect(t - .nanoseconds(-1) == Timestamp(nanoseconds: 100_000_000_001))
        #expect(Timestamp(seconds: 5) - Timestamp(seconds: 3) == 2_000_000_000)
        #expect(Timestamp(seconds: 3) - Timestamp(seconds: 5) == -2_000_000_000)
        #expect(Duration.seconds(3).nanosecondsTotal == 3_000_000_000)
        #expect(Duration.milliseconds(-1_500).nanosecondsTotal == -1_500_000_000)
        #expect(Duration.nanoseconds(-1).nanosecondsTotal == -1)
        #expect((Duration.seconds(86_400) * 365).nanosecondsTotal == 31_536_000_000_000_000)
    }

    @Test("ISO 8601 description with milliseconds")
    func isoDescription() {
        #expect(Timestamp.epoch.description == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(milliseconds: 1_795_614_508_123).description == "2026-11-25T13:48:28.123Z")
        // Sub-millisecond digits are truncated, not rounded.
        #expect(Timestamp(nanoseconds: 1_795_614_508_123_999_999).description == "2026-11-25T13:48:28.123Z")
        #expect(Timestamp(seconds: 951_782_399).description == "2000-02-28T23:59:59.000Z")
        #expect(Timestamp(seconds: 951_782_400).description == "2000-02-29T00:00:00.000Z")
        #expect(UTCDate(year: 2026, month: 11, day: 25).start.description == "2026-11-25T00:00:00.000Z")
        #expect((UTCDate(year: 2026, month: 11, day: 26).start - .nanoseconds(1)).description == "2026-11-25T23:59:59.999Z")
        // Before the epoch the time of day still counts forward from midnight.
        #expect(Timestamp(nanoseconds: -1).description == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(milliseconds: -1_500).description == "1969-12-31T23:59:58.500Z")
        #expect(Timestamp(seconds: -86_400).description == "1969-12-31T00:00:00.000Z")
        #expect(Timestamp(seconds: -86_401).description == "1969-12-30T23:59:59.000Z")
    }

    @Test("dayNumber floors, also before the epoch", arguments: [
        (0, 0),
        (1, 0),
        (nanosPerDay - 1, 0),
        (nanosPerDay, 1),
        (-1, -1),
        (-nanosPerDay + 1, -1),
        (-nanosPerDay, -1),
        (-nanosPerDay - 1, -2),
        (-2 * nanosPerDay, -2),
        (20_782 * nanosPerDay + 49_708_123_000_000, 20_782),
    ] as [(Int64, Int64)])
    func dayNumber(nanoseconds: Int64, day: Int64) {
        let t = Timestamp(nanoseconds: nanoseconds)
        #expect(t.dayNumber == day)
        #expect(t.date == UTCDate(daysSinceEpoch: day))
        #expect(t.date.start <= t && t < t.date.start + .seconds(86_400))
    }

    @Test("Codable round trip")
    func codable() throws {
        let times = [Timestamp.epoch, Timestamp(nanoseconds: -1_234_567_890_123), Timestamp(nanoseconds: 1_795_614_508_123_456_789)]
        let data = try JSONEncoder().encode(times)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == times)
    }

    // MARK: SimulatedClock

    @Test("SimulatedClock starts where told and moves only forward")
    func simulatedClock() {
        let clock = SimulatedClock()
        #expect(clock.now() == .epoch)
        let start = Timestamp(seconds: 1_000)
        let started = SimulatedClock(start: start)
        #expect(started.now() == start)

        started.advance(to: start + .seconds(5))
        #expect(started.now() == Timestamp(seconds: 1_005))
        started.advance(to: start) // backwards: ignored
        #expect(started.now() == Timestamp(seconds: 1_005))
        started.advance(to: Timestamp(seconds: 1_005)) // same time: no change
        #expect(started.now() == Timestamp(seconds: 1_005))
        started.advance(by: .milliseconds(250))
        #expect(started.now() == Timestamp(milliseconds: 1_005_250))
        started.advance(by: .seconds(-10)) // negative duration: ignored
        #expect(started.now() == Timestamp(milliseconds: 1_005_250))
        started.advance(by: .zero)
        #expect(started.now() == Timestamp(milliseconds: 1_005_250))

        let asProtocol: any TradingClock = started
        #expect(asProtocol.now() == Timestamp(milliseconds: 1_005_250))
    }

    @Test("SimulatedClock never goes backwards under concurrent advances")
    func simulatedClockConcurrent() async {
        let clock = SimulatedClock()
        // Eight writers push the clock to scrambled times; a reader checks it is monotonic.
        var targets: [[Int64]] = []
        for writer in 0..<8 {
            var times: [Int64] = []
            for i in 0..<2_000 { times.append(Int64((i * 7_919 + writer * 104_729) % 50_000)) }
            targets.append(times)
        }
        let finalTime = targets.joined().max()!
        let regressions = await withTaskGroup(of: Int.self) { group in
            for writer in targets {
                group.addTask {
                    for ns in writer { clock.advance(to: Timestamp(nanoseconds: ns)) }
                    return 0
                }
            }
            group.addTask {
                var last = clock.now()
                var backwards = 0
                for _ in 0..<20_000 {
                    let now = clock.now()
                    if now < last { backwards += 1 }
                    last = now
                }
                return backwards
            }
            return await group.reduce(0, +)
        }
        #expect(regressions == 0)
        #expect(clock.now() == Timestamp(nanoseconds: finalTime))
    }

    @Test func extremeTimestampsDoNotOverflow() {
        #expect(Timestamp(nanoseconds: .min).dayNumber == Int64.min / 86_400_000_000_000 - 1)
        #expect(Timestamp(nanoseconds: -1).dayNumber == -1)
        #expect(Timestamp(nanoseconds: -86_400_000_000_000).dayNumber == -1)
        #expect(Timestamp(nanoseconds: -86_400_000_000_001).dayNumber == -2)
        #expect(Timestamp(nanoseconds: .max).dayNumber == Int64.max / 86_400_000_000_000)
    }

    /// A corrupt time from outside (found by fuzzing a Bybit depth message with "ts" in the
    /// 17th digit) saturates instead of trapping.
    @Test func coarseUnitsSaturateInsteadOfTrapping() {
        #expect(Timestamp(milliseconds: 17_098_916_790_500_000).nanoseconds == .max)
        #expect(Timestamp(milliseconds: -17_098_916_790_500_000).nanoseconds == .min)
        #expect(Timestamp(microseconds: .max) == .distantFuture)
        #expect(Timestamp(seconds: 10_000_000_000_000).nanoseconds == .max)
        #expect(Timestamp(milliseconds: 1_709_891_679_050).nanoseconds == 1_709_891_679_050_000_000)
    }
}
