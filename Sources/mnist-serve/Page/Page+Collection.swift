// The page's collection controls, present only with mnist-serve --collect: under each answer a
// row to confirm it or give the digit it really is (a click, or a key: Enter or 0–9), and a
// section with the counts of each digit saved, "Learn from my digits", its progress and result.

extension Page {
    enum Collection {
        /// Under the answer: confirm it, or say which digit it was.
        static let labelRow = """
              <div id="label-row" role="group" aria-label="Save this drawing as the digit it is">
                <button id="confirm" type="button" aria-keyshortcuts="Enter">Yes, a <b id="confirm-digit"></b> <kbd>Enter</kbd></button>
                <span class="or">or it is <kbd>0–9</kbd></span>
                <span id="digit-keys">\((0...9).map { #"<button type="button" data-digit="\#($0)" aria-keyshortcuts="\#($0)">\#($0)</button>"# }.joined())</span>
              </div>
            """

        /// Under the pad: what the last save did.
        static let savedLine = #"<p id="saved" role="status"></p>"#

        /// Below the three columns: the counts and learning.
        static let section = """
            <section id="collection" aria-label="Your digits">
              <div class="collection-head">
                <h2>Your digits <span id="collected-total"></span></h2>
                <button id="learn" type="button">Learn from my digits</button>
              </div>
              <ol id="counts" start="0"></ol>
              <div id="learning" data-state="idle" role="status">
                <div class="progress"><span></span></div>
                <p id="learning-text"></p>
                <table id="learn-result" hidden>
                  <thead><tr><th></th><th>before</th><th>after</th></tr></thead>
                  <tbody>
                    <tr><th scope="row">your held-out digits <span id="held-out-count"></span></th><td id="held-before"></td><td id="held-after"></td></tr>
                    <tr><th scope="row">MNIST test set</th><td id="test-before"></td><td id="test-after"></td></tr>
                  </tbody>
                </table>
                <p id="learn-verdict"></p>
              </div>
            </section>
            """
    }
}
