// Which bytes of a prediction request are the image. Clients label bodies in many ways: curl's
// --data-binary says application/x-www-form-urlencoded, curl -F sends multipart/form-data, a
// browser says image/png. The label is not trusted either way: a body that is a PNG or a JPEG is
// one, a form part that is one is taken, and anything else is refused for what it holds.

import Foundation
import MNIST

/// The image in a prediction request.
enum ImageBody {
    /// The image in `body`: the body itself, or for a multipart form the first part that is a PNG
    /// or JPEG (else its first file part, so the decoder can say what that file is).
    /// - Throws: `APIError` 400 for a form without a file part, or one that cannot be read.
    static func image(in body: [UInt8], contentType: String?) throws(APIError) -> [UInt8] {
        guard ImageFormat(sniffing: body) == nil, let contentType,
              let boundary = MultipartForm.boundary(inContentType: contentType) else { return body }
        guard let form = MultipartForm(body, boundary: boundary) else {
            throw APIError(.badRequest, "the body is declared multipart/form-data but is not a form with boundary \(boundary)")
        }
        if let image = form.parts.first(where: { ImageFormat(sniffing: $0.content) != nil }) { return image.content }
        if let file = form.parts.first(where: { $0.fileName != nil }) { return file.content }
        let names = form.parts.map { $0.name ?? "(unnamed)" }.joined(separator: ", ")
        throw APIError(.badRequest, "the form holds no file, only the fields \(names.isEmpty ? "(none)" : names); send the PNG as a file part (curl -F file=@digit.png)")
    }
}

extension ImageBody {
    /// The width × height a PNG's header declares, or 0 when `png` has no PNG header to read (a
    /// JPEG's size sits in a later segment; it counts as small here and is still refused over the
    /// pixel budget by the decoder).
    static func declaredPixels(_ png: [UInt8]) -> Int {
        guard png.count >= 24, ImageFormat(sniffing: png) == .png else { return 0 }
        // PNG allows sides up to 2³¹ − 1; a larger one (libpng refuses it) must not overflow here.
        let word = { (offset: Int) in min(png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }, Int(Int32.max)) }
        return word(16) * word(20)
    }
}

/// A `multipart/form-data` body (RFC 7578) split into its parts.
struct MultipartForm {
    struct Part {
        /// The `name` of its Content-Disposition.
        var name: String?
        /// The `filename` of its Content-Disposition, for a file part.
        var fileName: String?
        var content: [UInt8]
    }

    var parts: [Part]

    /// The boundary of a `multipart/form-data` Content-Type, or nil for any other type.
    static func boundary(inContentType contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The parts between `--boundary` delimiters; nil when there is no closing delimiter or a
    /// part has no blank line after its headers.
    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var index = 0
        while let found = body.firstRange(of: delimiter, from: index) {
            starts.append(found.lowerBound)
            index = found.upperBound
        }
        // The closing delimiter is followed by "--".
        guard let last = starts.last, body[(last + delimiter.count)...].starts(with: Array("--".utf8)) else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(starts, starts.dropFirst()) {
            // A part: CRLF after the delimiter, headers, a blank line, content, CRLF before the next.
            let part = Array(body[(start + delimiter.count)..<end])
            guard let headerEnd = part.firstRange(of: Array("\r\n\r\n".utf8), from: 0) else { return nil }
            let headers = String(decoding: part[..<headerEnd.lowerBound], as: UTF8.self)
            var content = Array(part[headerEnd.upperBound...])
            if content.suffix(2) == [13, 10] { content.removeLast(2) }
            parts.append(Part(name: Self.parameter("name", in: headers), fileName: Self.parameter("filename", in: headers), content: content))
        }
        self.parts = parts
    }

    /// A quoted parameter of the Content-Disposition header among `headers`.
    private static func parameter(_ key: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for field in line.split(separator: ";").dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `pattern` at or after `start`.
    func firstRange(of pattern: [UInt8], from start: Int) -> Range<Int>? {
        guard !pattern.isEmpty, count >= pattern.count, start <= count - pattern.count else { return nil }
        for offset in start...(count - pattern.count) where self[offset] == pattern[0] {
            if self[offset..<(offset + pattern.count)].elementsEqual(pattern) { return offset..<(offset + pattern.count) }
        }
        return nil
    }
}
