// The page's style sheet. The pad takes no touch gestures (touch-action: none), so a finger
// draws instead of scrolling the page; the 28×28 view keeps its pixels square and sharp.

extension Page {
    enum Style {
        static let css = """
            :root { color-scheme: light; --ink: #1d232b; --muted: #5b6572; --accent: #2f6fdb; --line: #d6dbe1; }
            * { box-sizing: border-box; }
            body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f6f8; }
            header { padding: 12px 20px 0; }
            h1 { margin: 0; font-size: 1.4rem; }
            h2 { margin: 0 0 8px; font-size: 1rem; }
            #model-facts { margin: 2px 0 0; color: var(--muted); font-size: .9rem; }
            main { display: grid; grid-template-columns: auto 1fr auto; gap: 20px; padding: 14px 20px 24px; align-items: start; }
            @media (max-width: 980px) { main { grid-template-columns: 1fr; } }
            section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px; }
            #pad { display: block; width: min(400px, calc(100vw - 72px)); aspect-ratio: 1; background: #fff;
                   border: 2px solid var(--ink); border-radius: 6px; cursor: crosshair;
                   touch-action: none; user-select: none; -webkit-user-select: none; -webkit-touch-callout: none; }
            #pad.dragging { border-color: var(--accent); border-style: dashed; }
            #pad:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
            .tools { display: flex; gap: 8px; margin-top: 10px; flex-wrap: wrap; }
            button, .upload { font: inherit; padding: 6px 12px; border: 1px solid var(--line); border-radius: 6px; background: #eef1f5; color: var(--ink); cursor: pointer; }
            button:hover, .upload:hover { background: #e2e7ee; }
            button:focus-visible, .upload:focus-within { outline: 3px solid var(--accent); outline-offset: 1px; }
            kbd { font-size: .75em; color: var(--muted); }
            .upload input { position: absolute; width: 1px; height: 1px; opacity: 0; }
            /* width 0 / min-width 100%: a long message wraps inside the pad's column instead of widening it */
            #status { min-height: 1.4em; margin: 8px 0 0; color: #a33; font-size: .9rem; width: 0; min-width: 100%; overflow-wrap: anywhere; }
            /* keyboard hints mean nothing on a touch screen */
            @media (pointer: coarse), (max-width: 600px) { kbd { display: none; } }
            .answer { display: flex; align-items: baseline; gap: 14px; min-height: 96px; }
            #prediction { font-size: 80px; font-weight: 700; line-height: 1; min-width: .6em; }
            #confidence { font-size: 1.3rem; color: var(--muted); }
            #bars { list-style: none; margin: 8px 0 0; padding: 0; }
            #bars li { display: grid; grid-template-columns: 1.4em 1fr 4.2em; gap: 8px; align-items: center; margin: 3px 0; font-variant-numeric: tabular-nums; }
            #bars .track { height: 16px; background: #eef1f5; border-radius: 4px; overflow: hidden; }
            #bars .fill { display: block; height: 100%; width: 0; background: #9aa7b6; transition: width .12s; }
            #bars li.top .fill { background: var(--accent); }
            #bars li.top { font-weight: 700; }
            #bars .value { text-align: right; color: var(--muted); font-size: .9rem; }
            /* the answer's states (#result[data-answer], set by the script) */
            #pending { display: none; margin: 0; color: var(--accent); font-size: .95rem; }
            #pending span { display: none; }
            #result[data-answer=pending] #pending, #result[data-answer=stale] #pending { display: block; }
            #result[data-answer=pending] #pending .first, #result[data-answer=stale] #pending .again { display: inline; }
            #pending::before { content: ""; display: inline-block; width: .7em; height: .7em; margin-right: .4em; border: 2px solid currentColor;
                               border-right-color: transparent; border-radius: 50%; animation: turn .8s linear infinite; vertical-align: -1px; }
            @keyframes turn { to { transform: rotate(360deg); } }
            /* an answer to a pad that has changed since: faded until the new one arrives */
            .answer, #bars { transition: opacity .15s; }
            #result[data-answer=stale] .answer, #result[data-answer=stale] #bars { opacity: .4; }
            #advice { margin: 6px 0 0; font-size: .95rem; }
            #advice:empty { display: none; }
            #result.unsure #prediction { color: #b86e00; }
            #result.unsure #bars li.top .fill { background: #e0a040; }
            #seen { display: block; width: 280px; height: 280px; image-rendering: pixelated; background: #000; border-radius: 4px; }
            .seen label { display: block; max-width: 280px; margin-top: 8px; font-size: .85rem; color: var(--muted); }
            .up { color: #d22; font-weight: 600; } .down { color: #27c; font-weight: 600; }
            """
    }
}
