// The report page's style sheet, inlined into the page so it needs no other file.
//
// It holds down to a 360 px phone: charts and the heat map shrink to their box (their SVGs keep
// a viewBox), the summary cards wrap, tables scroll inside their section rather than widening
// the page, and the margins narrow below 600 px. Each class is declared once: the confusions'
// `.pair` and the gallery's `.pictures` once shared a name, and the gallery's flex rule broke
// every confusion over two lines.

enum HTMLReportStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f6f8; color: #1f2933;
          font: 15px/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
        header { background: #1f3a5f; color: #ffffff; padding: 22px 40px 18px; }
        header h1 { margin: 0 0 4px; font-size: 26px; font-weight: 600; }
        .subtitle { margin: 0; color: #c9d6e6; }
        .subtitle code { color: #ffffff; overflow-wrap: anywhere; }
        main { max-width: 1180px; margin: 0 auto; padding: 20px 40px 40px; }
        section { background: #ffffff; border-radius: 8px; padding: 18px 24px; margin: 0 0 20px;
          box-shadow: 0 1px 3px rgba(31, 41, 51, 0.12); }
        h2 { margin: 0 0 12px; font-size: 19px; font-weight: 600; }
        h3 { margin: 4px 0 8px; font-size: 16px; font-weight: 600; }
        code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
        figure { margin: 0; min-width: 0; max-width: 100%; }
        svg { max-width: 100%; height: auto; }
        figure.narrow { max-width: 380px; }
        figcaption, .note { color: #52606d; font-size: 13px; max-width: 520px; }
        .row { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
        .row > * { min-width: 0; max-width: 100%; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 16px;
          background: none; box-shadow: none; padding: 0; }
        .card { background: #ffffff; border-radius: 8px; padding: 14px 18px;
          box-shadow: 0 1px 3px rgba(31, 41, 51, 0.12); }
        .card-name { color: #52606d; font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; }
        .card-value { font-size: 30px; font-weight: 600; color: #1f3a5f; }
        .card-note { color: #7b8794; font-size: 12px; }
        svg text { font-family: "DejaVu Sans", Arial, sans-serif; fill: #1f2933; }
        .chart-title { font-size: 14px; font-weight: 600; }
        .tick { font-size: 11px; fill: #52606d; }
        .axis-title { font-size: 12px; fill: #323f4b; }
        .legend { font-size: 12px; }
        .cell { font-size: 12px; }
        .cell.on-dark { fill: #ffffff; font-weight: 600; }
        .heatmap .tick { font-size: 13px; }
        .grid { stroke: #e4e7eb; stroke-width: 1; }
        .axis { stroke: #52606d; stroke-width: 1; }
        .bar { fill: #9fb8dc; }
        .gap { stroke: #1f3a5f; stroke-width: 2; }
        .ideal { stroke: #d66018; stroke-width: 1.5; stroke-dasharray: 5 4; }
        .confusions { margin: 0; padding-left: 22px; line-height: 1.9; }
        .pair { display: inline-block; min-width: 56px; font-weight: 600; }
        .table-scroll { max-width: 100%; overflow-x: auto; }
        table.classes { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        .classes th, .classes td { padding: 5px 12px; border-bottom: 1px solid #e4e7eb; }
        .classes thead th { color: #52606d; font-weight: 600; font-size: 13px; text-align: right; }
        .classes thead th:first-child { text-align: center; }
        .classes tbody th { text-align: center; }
        .num { text-align: right; white-space: nowrap; }
        .meter { display: inline-block; height: 8px; margin-right: 8px; border-radius: 4px;
          background: #9fb8dc; vertical-align: middle; }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(104px, 1fr)); gap: 12px; }
        .tile { text-align: center; border: 1px solid #e4e7eb; border-radius: 6px; padding: 8px 4px 6px; }
        .digit { display: block; margin: 0 auto 4px; border: 1px solid #cbd2d9; image-rendering: pixelated; }
        .gallery.wide { grid-template-columns: repeat(auto-fill, minmax(196px, 1fr)); }
        .pictures { display: flex; gap: 6px; justify-content: center; align-items: center; margin-bottom: 4px; }
        .pictures .digit { margin: 0; }
        .original { display: block; border: 1px solid #cbd2d9; }
        .file { word-break: break-all; }
        .caption { font-size: 12px; color: #52606d; line-height: 1.35; }
        .predicted { font-size: 20px; font-weight: 700; color: #c2410c; }
        .confidence { font-weight: 600; color: #323f4b; }
        .true { font-weight: 700; color: #1f3a5f; }
        @media (max-width: 600px) {
          header { padding: 16px 16px 14px; }
          header h1 { font-size: 22px; }
          main { padding: 12px 10px 24px; }
          section { padding: 14px 12px; }
          .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
          .card { padding: 10px 12px; }
          .card-value { font-size: 24px; }
          .classes th, .classes td { padding: 4px 4px; font-size: 13px; }
          .meter { display: none; }
        }
        """
}
