// The page's script, continued: the answer shown (the prediction, the probability bars, the 28×28
// view with its heat map) and the model's facts. Page+Script.swift puts the parts together.

extension Page.Script {
    static let answer = #"""
            // --- the answer ----------------------------------------------------------------
            // Ten items of `list`, one per digit, each `markup` with the digit in its `.label`.
            function digitItems(list, markup) {
              return Array.from({ length: 10 }, (_, digit) => {
                const item = document.createElement("li");
                item.innerHTML = markup;
                item.querySelector(".label").textContent = String(digit);
                list.appendChild(item);
                return item;
              });
            }
            const barRows = digitItems(bars, '<span class="label"></span><span class="track"><span class="fill"></span></span><span class="value"></span>');

            function showResult(result) {
              lastResult = result;
              markAnswer(result ? "fresh" : "none");
              const unsure = !!result && result.unsure;
              resultSection.classList.toggle("unsure", unsure);
              predictionText.dataset.digit = result ? String(result.digit) : "";
              predictionText.textContent = result ? (unsure ? "?" : String(result.digit)) : "";
              confidenceText.textContent = !result ? ""
                : unsure ? "unsure: perhaps " + result.digit + " (" + percent(result.confidence) + ")" : percent(result.confidence);
              showAdvice(unsure ? "This does not look like one clear digit to the model. Draw a single digit, large and centred." : "");
              barRows.forEach((row, digit) => {
                const p = result ? result.probabilities[digit] : 0;
                row.classList.toggle("top", !!result && digit === result.digit);
                row.querySelector(".fill").style.width = (100 * p).toFixed(1) + "%";
                row.querySelector(".value").textContent = result ? percent(p) : "";
              });
              drawSeen();
              answerListeners.forEach(listener => listener(result));
            }

            // Rounded down, as mnist-predict prints it: a confidence below 1 never reads 100%.
            function percent(p) { return (Math.floor(1000 * p) / 10).toFixed(1) + "%"; }

            function showStatus(message) { statusText.textContent = message; }

            function showAdvice(message) { adviceText.textContent = message; }

            // The 28×28 input as the network saw it (ink bright), and over it the gradient of the
            // predicted digit's score: red where more ink would raise it, blue where it would lower it.
            function drawSeen() {
              const view = seen.getContext("2d");
              view.imageSmoothingEnabled = false;
              view.fillStyle = "#000";
              view.fillRect(0, 0, seen.width, seen.height);
              if (!lastResult) return;
              const side = lastResult.side;
              const small = document.createElement("canvas");
              small.width = small.height = side;
              const smallContext = small.getContext("2d");
              const pixels = smallContext.createImageData(side, side);
              for (let i = 0; i < side * side; i++) {
                const level = lastResult.input[i];
                pixels.data.set([level, level, level, 255], 4 * i);
              }
              smallContext.putImageData(pixels, 0, 0);
              view.drawImage(small, 0, 0, seen.width, seen.height);
              if (!heatToggle.checked) return;
              const saliency = lastResult.saliency;
              const largest = Math.max(...saliency.map(Math.abs)) || 1;
              const heat = smallContext.createImageData(side, side);
              for (let i = 0; i < side * side; i++) {
                const strength = Math.abs(saliency[i]) / largest;
                const colour = saliency[i] >= 0 ? [230, 30, 30] : [30, 120, 230];
                heat.data.set([...colour, Math.round(235 * Math.min(1, 1.5 * strength))], 4 * i);
              }
              smallContext.putImageData(heat, 0, 0);
              view.drawImage(small, 0, 0, seen.width, seen.height);
            }
            heatToggle.addEventListener("change", drawSeen);

            // --- the model's facts ---------------------------------------------------------
            // One line about the model from GET /api/model's answer.
            function modelFacts(model) {
              const file = model.path ? [model.path.split("/").pop()] : [];
              const facts = [...file, "model " + (model.network ? model.network.replaceAll("-", "–") : model.layers.join("–")), model.parameters.toLocaleString("en") + " parameters"];
              if (model.test_accuracy != null) facts.push("test accuracy " + (100 * model.test_accuracy).toFixed(2) + "%");
              const recipe = model.metadata || {};
              if (recipe.epochs) facts.push(recipe.epochs + (recipe.epochs === "1" ? " epoch" : " epochs") + " of " + (recipe.optimizer || "sgd"));
              return facts.join(" · ");
            }
            function loadModelFacts() {
              fetch("api/model").then(response => response.json()).then(model => {
                document.getElementById("model-facts").textContent = modelFacts(model);
              }).catch(() => { document.getElementById("model-facts").textContent = "the model's facts are unavailable"; });
            }
            loadModelFacts();
            """#
}
