// The page's script: the drawing pad (Pointer Events for mouse, touch and pen), Undo and Clear,
// PNG upload and drop, and throttled prediction requests; the answer's bars and 28×28 view are in
// Page+AnswerScript.swift. Plain JavaScript, no libraries.

extension Page {
    enum Script {
        /// The whole script: the pad and its requests, then the answer (Page+AnswerScript.swift),
        /// then the first paint.
        static let javascript = pad + "\n\n" + answer + "\n\n" + start

        static let pad = #"""
            "use strict";
            const pad = document.getElementById("pad");
            const context = pad.getContext("2d");
            const predictionText = document.getElementById("prediction");
            const confidenceText = document.getElementById("confidence");
            const statusText = document.getElementById("status");
            const bars = document.getElementById("bars");
            const seen = document.getElementById("seen");
            const heatToggle = document.getElementById("heat");
            const resultSection = document.getElementById("result");
            const adviceText = document.getElementById("advice");

            // Pen widths in pad pixels (the pad is 400 wide however large it is shown): a finger
            // covers more than a mouse pointer, and the server thickens thin strokes anyway.
            const penWidths = { mouse: 16, pen: 14, touch: 22 };
            // At most one request every this many milliseconds while a stroke is being drawn.
            const throttleMilliseconds = 120;
            // What is sent is the strokes drawn again with a pen in proportion to the drawing: at
            // most this fraction of its larger side, never wider than the pen shown. A small digit
            // drawn with the full pen fills its own loops, and a 3 reads as an 8 (docs/serve.md).
            const sentPenFraction = 0.1;
            const sentPenMinimum = 2;
            // A drawing smaller than this on its larger side (pad pixels) is not sent: the page
            // asks for a larger one.
            const smallestDrawing = 16;

            const strokes = [];     // { width, points: [[x, y], ...] }, oldest first
            let uploaded = null;    // { image, blob } of an opened or dropped PNG
            let drawing = null;     // the stroke under the pointer, with its pointerId
            let lastResult = null;
            let classified = null;  // the PNG the answer shown was given (what --collect saves)
            const answerListeners = [];  // called with each answer shown (or null)

            // --- the pad -------------------------------------------------------------------
            // Paints the pad (or another canvas of its size): the opened image, then the strokes,
            // each `widthOf(stroke)` wide.
            function paint(target, widthOf) {
              target.fillStyle = "#fff";
              target.fillRect(0, 0, pad.width, pad.height);
              if (uploaded) {
                const { image } = uploaded;
                const scale = Math.min(pad.width / image.width, pad.height / image.height);
                const width = image.width * scale, height = image.height * scale;
                target.drawImage(image, (pad.width - width) / 2, (pad.height - height) / 2, width, height);
              }
              for (const stroke of strokes) drawStroke(target, stroke, 0, widthOf(stroke));
            }

            function redraw() { paint(context, stroke => stroke.width); }

            // Draws `stroke` from point `from` on; a single point is a dot (the round cap).
            function drawStroke(target, stroke, from, width) {
              const points = stroke.points;
              target.strokeStyle = "#000";
              target.lineWidth = width;
              target.lineCap = "round";
              target.lineJoin = "round";
              target.beginPath();
              const start = points[Math.max(from - 1, 0)];
              target.moveTo(start[0], start[1]);
              for (let i = Math.max(from, 1); i < points.length; i++) target.lineTo(points[i][0], points[i][1]);
              if (points.length === 1) target.lineTo(start[0] + 0.01, start[1]);
              target.stroke();
            }

            // The larger side of the box around every stroke's centre line, in pad pixels.
            function drawingSize() {
              let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
              for (const stroke of strokes) for (const [x, y] of stroke.points) {
                left = Math.min(left, x); right = Math.max(right, x);
                top = Math.min(top, y); bottom = Math.max(bottom, y);
              }
              return Math.max(right - left, bottom - top, 0);
            }

            // The PNG sent for the pad: the strokes again with a pen in proportion to the drawing.
            function padBlob() {
              const size = drawingSize();
              const copy = document.createElement("canvas");
              copy.width = pad.width;
              copy.height = pad.height;
              paint(copy.getContext("2d"),
                    stroke => Math.min(stroke.width, Math.max(sentPenMinimum, sentPenFraction * size)));
              return new Promise(resolve => copy.toBlob(resolve, "image/png"));
            }

            function padPoint(event) {
              const box = pad.getBoundingClientRect();
              return [(event.clientX - box.left) * pad.width / box.width,
                      (event.clientY - box.top) * pad.height / box.height];
            }

            pad.addEventListener("pointerdown", event => {
              if (drawing || (event.pointerType === "mouse" && event.button !== 0)) return;
              event.preventDefault();
              pad.setPointerCapture(event.pointerId);
              pad.focus({ preventScroll: true });
              drawing = { pointerId: event.pointerId, width: penWidths[event.pointerType] || penWidths.mouse,
                          points: [padPoint(event)] };
              strokes.push(drawing);
              drawStroke(context, drawing, 0, drawing.width);
              requestPrediction(false);
            });

            pad.addEventListener("pointermove", event => {
              if (!drawing || event.pointerId !== drawing.pointerId) return;
              event.preventDefault();
              const from = drawing.points.length;
              const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
              for (const e of (events.length ? events : [event])) drawing.points.push(padPoint(e));
              drawStroke(context, drawing, from, drawing.width);
              requestPrediction(false);
            });

            function endStroke(event) {
              if (!drawing || event.pointerId !== drawing.pointerId) return;
              drawing = null;
              requestPrediction(true);
            }
            pad.addEventListener("pointerup", endStroke);
            pad.addEventListener("pointercancel", endStroke);
            // Older mobile browsers scroll on touch unless told not to, whatever touch-action says.
            pad.addEventListener("touchstart", event => event.preventDefault(), { passive: false });
            pad.addEventListener("touchmove", event => event.preventDefault(), { passive: false });
            pad.addEventListener("contextmenu", event => event.preventDefault());

            // --- editing -------------------------------------------------------------------
            function clearPad() {
              strokes.length = 0;
              uploaded = null;
              drawing = null;
              redraw();
              forgetResult();
            }

            function undo() {
              if (drawing) return;
              if (strokes.length) strokes.pop(); else uploaded = null;
              redraw();
              if (strokes.length || uploaded) requestPrediction(true); else forgetResult();
            }

            document.getElementById("clear").addEventListener("click", clearPad);
            document.getElementById("undo").addEventListener("click", undo);
            document.addEventListener("keydown", event => {
              if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
                event.preventDefault();
                undo();
              } else if (event.key === "Escape" || (event.target === pad && (event.key === "Delete" || event.key === "Backspace"))) {
                event.preventDefault();
                clearPad();
              }
            });

            function openPNG(file) {
              if (!file) return;
              if (file.type && file.type !== "image/png") { showStatus(file.name + " is not a PNG image"); return; }
              const image = new Image();
              image.onload = () => {
                strokes.length = 0;
                uploaded = { image, blob: file };
                redraw();
                requestPrediction(true);
              };
              image.onerror = () => showStatus(file.name + " cannot be read as an image");
              image.src = URL.createObjectURL(file);
            }
            document.getElementById("file").addEventListener("change", event => {
              openPNG(event.target.files[0]);
              event.target.value = "";
            });
            pad.addEventListener("dragover", event => { event.preventDefault(); pad.classList.add("dragging"); });
            pad.addEventListener("dragleave", () => pad.classList.remove("dragging"));
            pad.addEventListener("drop", event => {
              event.preventDefault();
              pad.classList.remove("dragging");
              openPNG(event.dataTransfer.files[0]);
            });

            // --- prediction requests -------------------------------------------------------
            // One request in flight at a time; while drawing, at most one per throttle interval;
            // a stroke's end always sends. Answers to a pad that has changed since are dropped.
            let inFlight = false, pending = false, timer = null, lastSent = 0, generation = 0;

            // body[data-state] is "busy" while a prediction is wanted or on its way, else "idle":
            // a hook for tests, which must wait for the answer to the last stroke.
            function updateState() {
              document.body.dataset.state = (pending || inFlight || timer) ? "busy" : "idle";
            }

            // #result[data-answer]: "none"; "pending" while the first answer is awaited; "fresh";
            // "stale" when the pad has changed since the answer shown; "advice" when the page asks
            // for another drawing instead of answering. The style sheet shows each.
            function markAnswer(state) { resultSection.dataset.answer = state; }

            function requestPrediction(now) {
              pending = true;
              markAnswer(lastResult ? "stale" : "pending");
              updateState();
              if (now) { clearTimeout(timer); timer = null; send(); return; }
              if (timer) return;
              const wait = Math.max(0, lastSent + throttleMilliseconds - performance.now());
              timer = setTimeout(() => { timer = null; send(); }, wait);
              updateState();
            }

            function forgetResult() {
              generation++;
              pending = false;
              clearTimeout(timer);
              timer = null;
              showResult(null);
              showStatus("");
              showAdvice("");
              markAnswer("none");
              updateState();
            }

            async function send() {
              if (!pending || inFlight) return;
              pending = false;
              inFlight = true;
              lastSent = performance.now();
              const asked = generation;
              try {
                if (!uploaded && drawingSize() < smallestDrawing) {
                  // A stroke just begun is small: wait for it to grow or end before advising.
                  if (drawing) return;
                  showResult(null);
                  showAdvice("Too small to read: draw the digit larger, about a third of the pad's height.");
                  markAnswer("advice");
                  return;
                }
                const body = strokes.length === 0 && uploaded ? uploaded.blob : await padBlob();
                const response = await fetch("api/predict", { method: "POST", headers: { "Content-Type": "image/png" }, body });
                const answer = await response.json();
                if (asked !== generation) return;
                if (response.ok) { classified = body; showResult(answer); showStatus(""); }
                else { showResult(null); showStatus(answer.error || ("the server answered " + response.status)); }
              } catch (error) {
                // fetch's own message ("Failed to fetch", "NetworkError …") names no cause.
                if (asked === generation) {
                  showResult(null);
                  showStatus("The server is not answering: is mnist-serve still running?");
                }
              } finally {
                inFlight = false;
                if (pending) requestPrediction(false);
                updateState();
              }
            }
            """#

        static let start = #"""
            redraw();
            showResult(null);
            updateState();
            """#
    }
}
