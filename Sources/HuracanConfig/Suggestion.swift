/// "Did you mean" suggestions for misspelt keys and values.
enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
    /// For dotted paths the allowed distance follows the length of the last component.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased())
        let significant = word.split(separator: ".").last?.count ?? word.count
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        return distance <= max(1, significant / 3) ? candidate : nil
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
