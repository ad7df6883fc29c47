// The page at GET /: one HTML document with its style and script inline, so it needs nothing
// from outside the binary and works offline. The Content-Security-Policy says so to the browser.

import Hummingbird

/// The drawing-pad page.
enum Page {
    /// The response to `GET /`: with `collecting`, the page of mnist-serve --collect, which asks
    /// which digit each drawing is and offers to learn from them.
    static func response(collecting: Bool = false) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:",
                .cacheControl: "no-cache",
            ],
            body: ResponseBody(byteBuffer: collecting ? collectingBytes : bytes))
    }

    /// The documents' bytes, built once: a ByteBuffer shares its storage with every response.
    static let bytes = ByteBuffer(string: html(collecting: false))
    static let collectingBytes = ByteBuffer(string: html(collecting: true))

    /// The document: markup, then `style` and `script` spliced in; the collection's controls
    /// only with `collecting`.
    static func html(collecting: Bool) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>mnist-serve: draw a digit</title>
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%231d232b'/%3E%3Cpath d='M4 4h8L7 13' stroke='%23fff' stroke-width='2' fill='none'/%3E%3C/svg%3E">
        <style>\(Style.css)\(collecting ? Collection.css : "")</style>
        </head>
        <body data-collect="\(collecting ? "on" : "off")">
        <header><h1>Draw a digit</h1><p id="model-facts">Loading the model…</p></header>
        <main>
        <section class="pad-area" aria-label="Drawing pad">
          <canvas id="pad" width="400" height="400" tabindex="0"
                  aria-label="Drawing pad: draw one digit with the mouse, a finger or a pen, or drop a PNG file here"></canvas>
          <div class="tools">
            <button id="undo" type="button" aria-keyshortcuts="Control+Z">Undo <kbd>Ctrl+Z</kbd></button>
            <button id="clear" type="button" aria-keyshortcuts="Escape">Clear <kbd>Esc</kbd></button>
            <label class="upload">Open PNG…<input id="file" type="file" accept="image/png"></label>
          </div>
          <p id="status" role="status"></p>
        \(collecting ? Collection.savedLine : "")
        </section>
        <section class="result" id="result" data-answer="none" aria-label="Prediction">
          <div class="answer"><span id="prediction" aria-live="polite"></span><span id="confidence"></span></div>
          <p id="pending" aria-hidden="true"><span class="first">Reading your digit…</span><span class="again">Reading the new stroke…</span></p>
          <p id="advice" role="status"></p>
        \(collecting ? Collection.labelRow : "")
          <ol id="bars" start="0"></ol>
        </section>
        <section class="seen" aria-label="What the network saw">
          <h2>What the network saw</h2>
          <canvas id="seen" width="280" height="280" aria-label="The 28×28 input with the saliency heat map"></canvas>
          <label><input id="heat" type="checkbox" checked> heat map: <span class="up">red</span> pixels raise the
            predicted digit's score, <span class="down">blue</span> ones lower it (the gradient of its score)</label>
        </section>
        \(collecting ? Collection.section : "")
        </main>
        <script>\(Script.javascript)\(collecting ? Collection.javascript : "")</script>
        </body>
        </html>
        """
    }
}
