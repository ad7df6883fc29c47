// The collection controls' script and style, added to the page's with mnist-serve --collect:
// saving the classified PNG as the digit confirmed or given, the counts, and the learning run
// polled until it ends.

extension Page.Collection {
    static let javascript = #"""

        // --- collecting (mnist-serve --collect) ------------------------------------------
        const confirmDigit = document.getElementById("confirm-digit");
        const savedText = document.getElementById("saved");
        const countsList = document.getElementById("counts");
        const learnButton = document.getElementById("learn");
        const learningBox = document.getElementById("learning");
        let saving = false;
        let learningOff = null;

        const countItems = digitItems(countsList, '<span class="label"></span><span class="count">0</span>');

        function showCounts(counts) {
          counts.forEach((count, digit) => {
            countItems[digit].querySelector(".count").textContent = String(count);
            countItems[digit].classList.toggle("none", count === 0);
          });
          const total = counts.reduce((sum, count) => sum + count, 0);
          document.getElementById("collected-total").textContent = "· " + total + " saved";
        }

        function showSaved(message, failed) {
          savedText.textContent = message;
          savedText.classList.toggle("failed", !!failed);
        }

        // The confirm button names the digit read; the row shows with a fresh answer (style).
        answerListeners.push(result => { confirmDigit.textContent = result ? String(result.digit) : ""; });

        // Saves the PNG the answer shown was given as `digit`, then clears the pad for the next.
        async function saveAs(digit) {
          if (saving || !classified || !lastResult || resultSection.dataset.answer !== "fresh") return;
          saving = true;
          const read = lastResult.digit;
          try {
            const response = await fetch("api/samples?digit=" + digit,
                                         { method: "POST", headers: { "Content-Type": "image/png" }, body: classified });
            const answer = await response.json();
            if (!response.ok) { showSaved(answer.error || ("the server answered " + response.status), true); return; }
            showCounts(answer.counts);
            clearPad();
            showSaved("Saved as " + digit + (digit === read ? "" : " (it was read as " + read + ")") + ": " + answer.path);
          } catch (error) {
            showSaved("The server is not answering: is mnist-serve still running?", true);
          } finally {
            saving = false;
          }
        }

        document.getElementById("confirm").addEventListener("click", () => { if (lastResult) saveAs(lastResult.digit); });
        for (const button of document.querySelectorAll("#digit-keys button")) {
          button.addEventListener("click", () => saveAs(Number(button.dataset.digit)));
        }
        document.addEventListener("keydown", event => {
          if (event.ctrlKey || event.metaKey || event.altKey || event.target.tagName === "INPUT") return;
          if (/^[0-9]$/.test(event.key)) {
            event.preventDefault();
            saveAs(Number(event.key));
          } else if (event.key === "Enter" && event.target.tagName !== "BUTTON" && lastResult) {
            event.preventDefault();
            saveAs(lastResult.digit);
          }
        });

        // --- learning ----------------------------------------------------------------------
        function percentOf(accuracy, decimals) { return (100 * accuracy).toFixed(decimals) + "%"; }

        // #learning[data-state] is the run's state (idle, running, finished or failed), or
        // "refused" when the server would not start one.
        function showLearning(status) {
          learningBox.dataset.state = status.state;
          learnButton.disabled = status.state === "running" || !!learningOff;
          learningBox.querySelector(".progress span").style.width = (100 * (status.progress || 0)).toFixed(1) + "%";
          const text = document.getElementById("learning-text");
          const table = document.getElementById("learn-result");
          const verdict = document.getElementById("learn-verdict");
          table.hidden = status.state !== "finished";
          verdict.textContent = "";
          verdict.className = "";
          if (status.state === "running") {
            text.textContent = "Learning: " + (status.phase || "starting") + "… " + Math.round(100 * status.progress) +
              "%. The page goes on answering with the current model.";
          } else if (status.state === "failed") {
            text.textContent = "Learning did not finish: " + status.message;
          } else if (status.state === "refused") {
            text.textContent = "Not yet: " + status.message;
          } else if (status.state === "finished") {
            const result = status.result;
            text.textContent = "Learnt from " + result.taught + " of your digits in " + result.seconds.toFixed(1) + " s.";
            document.getElementById("held-out-count").textContent = "(" + result.held_out + ")";
            document.getElementById("held-before").textContent = percentOf(result.before.held_out, 1);
            document.getElementById("held-after").textContent = percentOf(result.after.held_out, 1);
            document.getElementById("test-before").textContent = percentOf(result.before.test, 2);
            document.getElementById("test-after").textContent = percentOf(result.after.test, 2);
            const name = result.model.split("/").pop();
            verdict.textContent = result.switched
              ? "Now serving the new model, " + name + "."
              : "Kept the old model: " + result.reason + ". The new one is saved as " + name + ".";
            verdict.className = result.switched ? "switched" : "kept";
          } else {
            text.textContent = learningOff ||
              "Save a few drawings of each digit (most of those it misreads), then let the model learn from them. A fifth of each digit is held out to score it.";
          }
        }

        function pollLearning() {
          setTimeout(async () => {
            try {
              const status = await (await fetch("api/learn")).json();
              showLearning(status);
              if (status.state === "running") pollLearning();
              else if (status.state === "finished") loadModelFacts();
            } catch (error) {
              showLearning({ state: "failed", message: "the server is not answering: is mnist-serve still running?" });
            }
          }, 300);
        }

        learnButton.addEventListener("click", async () => {
          learnButton.disabled = true;
          try {
            const response = await fetch("api/learn", { method: "POST" });
            const answer = await response.json();
            showLearning(response.ok ? answer : { state: "refused", message: answer.error || ("the server answered " + response.status) });
            if (response.ok) pollLearning();
          } catch (error) {
            showLearning({ state: "failed", message: "the server is not answering: is mnist-serve still running?" });
          }
        });

        fetch("api/samples").then(response => response.json()).then(samples => {
          learningOff = samples.learning_off || null;
          showCounts(samples.counts);
          return fetch("api/learn").then(response => response.json());
        }).then(status => {
          showLearning(status);
          if (status.state === "running") pollLearning();
        }).catch(() => showSaved("The collection's counts are unavailable", true));
        """#

    static let css = """
        #label-row { display: none; flex-wrap: wrap; align-items: center; gap: 6px; margin: 10px 0 4px; }
        #result[data-answer=fresh] #label-row { display: flex; }
        #label-row .or { color: var(--muted); }
        #confirm { background: var(--accent); border-color: var(--accent); color: #fff; }
        #confirm:hover { background: #245bb8; }
        #confirm kbd { color: #dfe8fb; }
        /* ten equal keys on a row of their own, at any width */
        #digit-keys { display: grid; grid-template-columns: repeat(10, minmax(0, 1fr)); gap: 4px; flex: 1 1 100%; max-width: 440px; }
        #digit-keys button { min-width: 0; padding: 6px 0; font-variant-numeric: tabular-nums; }
        #saved { margin: 4px 0 0; min-height: 1.4em; color: #276b2f; font-size: .9rem; width: 0; min-width: 100%; overflow-wrap: anywhere; }
        #saved.failed { color: #a33; }
        #saved:empty { display: none; }
        #collection { grid-column: 1 / -1; }
        .collection-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
        .collection-head h2 { margin: 0; }
        #collected-total { color: var(--muted); font-weight: 400; }
        #learn { background: var(--accent); border-color: var(--accent); color: #fff; }
        #learn:disabled { background: #9aa7b6; border-color: #9aa7b6; cursor: default; }
        #counts { list-style: none; display: grid; grid-template-columns: repeat(10, minmax(0, 1fr)); gap: 6px; margin: 12px 0; padding: 0; }
        #counts li { display: flex; flex-direction: column; align-items: center; padding: 4px 0; border: 1px solid var(--line); border-radius: 6px; font-variant-numeric: tabular-nums; }
        #counts .label { font-size: 1.2rem; font-weight: 700; }
        #counts .count { color: var(--muted); font-size: .85rem; }
        #counts li.none .label { color: #aab3be; }
        #learning .progress { height: 8px; background: #eef1f5; border-radius: 4px; overflow: hidden; display: none; }
        #learning[data-state=running] .progress { display: block; }
        #learning .progress span { display: block; height: 100%; width: 0; background: var(--accent); transition: width .2s; }
        #learning-text { margin: 6px 0; font-size: .95rem; }
        #learning[data-state=failed] #learning-text, #learning[data-state=refused] #learning-text { color: #a33; }
        #learn-result { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0; }
        #learn-result th, #learn-result td { padding: 3px 12px 3px 0; text-align: right; }
        #learn-result th[scope=row] { text-align: left; font-weight: 400; }
        #learn-result thead th { color: var(--muted); font-weight: 600; }
        #learn-verdict { margin: 6px 0 0; font-weight: 600; overflow-wrap: anywhere; }
        #learn-verdict.kept { color: #8a5a00; }
        #learn-verdict.switched { color: #276b2f; }
        """
}
