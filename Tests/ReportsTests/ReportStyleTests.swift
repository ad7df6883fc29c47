// The report page's style sheet, read as text: each selector declared once (a second `.pair` rule
// once broke every confusion over two lines), and rules that keep the page within a phone's width.
// Tests/BrowserTests/test_report.py checks the rendered page in Chromium.

import Foundation
@testable import Reports
import Testing

@Suite struct ReportStyleTests {
    /// The selectors of the rules outside `@media` blocks, in order.
    static let topLevelSelectors: [String] = {
        var css = HTMLReportStyle.css
        while let media = css.range(of: "@media") {
            // A media block ends at the first "}" that closes it: two braces in a row, spaces apart.
            let rest = css[media.lowerBound...]
            let close = rest.range(of: #"\}\s*\}"#, options: .regularExpression)!
            css.removeSubrange(media.lowerBound..<close.upperBound)
        }
        return css.components(separatedBy: "}").compactMap { rule in
            let selector = rule.components(separatedBy: "{").first!.trimmingCharacters(in: .whitespacesAndNewlines)
            return selector.isEmpty ? nil : selector
        }
    }()

    static func declarations(of selector: String) -> String? {
        let pattern = "(^|\\n)\\s*" + NSRegularExpression.escapedPattern(for: selector) + "\\s*\\{([^}]*)\\}"
        let regex = try! NSRegularExpression(pattern: pattern)
        let css = HTMLReportStyle.css
        guard let match = regex.firstMatch(in: css, range: NSRange(css.startIndex..., in: css)) else { return nil }
        return String(css[Range(match.range(at: 2), in: css)!])
    }

    @Test func everySelectorIsDeclaredOnce() {
        let selectors = Self.topLevelSelectors
        #expect(selectors.count > 40, "the parse found the rules")
        let repeated = Dictionary(grouping: selectors, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated == [])
    }

    @Test func confusionsAndGalleryPicturesHaveClassesOfTheirOwn() throws {
        #expect(Self.topLevelSelectors.filter { $0.contains(".pair") } == [".pair"])
        let pair = try #require(Self.declarations(of: ".pair"))
        #expect(pair.contains("inline-block") && !pair.contains("flex"))
        let html = sampleReport(sampleFiles: (0..<6).map { "digits/\($0 % 3)/\($0).png" }).html()
        #expect(html.contains("<li><span class=\"pair\">"))
        #expect(!html.contains("<div class=\"pair\">"))
    }

    @Test func chartsShrinkToTheirBoxAndThePageNarrowsOnPhones() throws {
        let svg = try #require(Self.declarations(of: "svg"))
        #expect(svg.contains("max-width: 100%") && svg.contains("height: auto"))
        #expect(try #require(Self.declarations(of: ".row > *")).contains("min-width: 0"))
        // Four fixed columns once made the cards 714 px wide on a 390 px phone.
        let cards = try #require(Self.declarations(of: ".cards"))
        #expect(cards.contains("auto-fit") && !cards.contains("repeat(4"))
        #expect(HTMLReportStyle.css.contains("@media (max-width: 600px)"))
        let html = sampleReport().html()
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"))
        #expect(html.contains("<div class=\"table-scroll\">\n<table class=\"classes\">"))
        // Every chart keeps a viewBox, so that it scales rather than crops when it shrinks.
        let svgTags = html.components(separatedBy: "<svg").dropFirst()
        #expect(!svgTags.isEmpty && svgTags.allSatisfy { $0.prefix(while: { $0 != ">" }).contains("viewBox=") })
    }
}
