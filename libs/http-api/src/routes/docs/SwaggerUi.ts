/**
 * The interactive API docs, served from swagger-ui-dist in node_modules (no CDN: the docs work offline). The
 * assets are read once when the app is built and served from memory.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/**
 * An asset and its media type.
 *
 * @category models
 * @since 0.1.0
 */
export interface Asset {
  readonly body: Uint8Array
  readonly contentType: string
}

/**
 * The path the docs page and its assets live under.
 *
 * @category constants
 * @since 0.1.0
 */
export const assetsPath = "/docs/assets"

const files: ReadonlyArray<readonly [string, string]> = [
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
  ["swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8"],
  ["favicon-32x32.png", "image/png"]
]

// A separate script rather than an inline one, so the Content-Security-Policy can forbid inline scripts.
const initializer = (specUrl: string): string => `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specUrl)},
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
});
`

/**
 * The HTML page of the docs.
 *
 * @category constructors
 * @since 0.1.0
 */
export const page = (title: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${assetsPath}/swagger-ui.css">
<link rel="icon" type="image/png" href="${assetsPath}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetsPath}/swagger-ui-bundle.js"></script>
<script src="${assetsPath}/swagger-ui-standalone-preset.js"></script>
<script src="${assetsPath}/initializer.js"></script>
</body>
</html>
`

/**
 * Reads the assets from swagger-ui-dist, plus the initializer pointing at `specUrl`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const loadAssets = (specUrl: string): ReadonlyMap<string, Asset> => {
  const folder = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))
  const assets = new Map<string, Asset>()
  for (const [file, contentType] of files) assets.set(file, { body: readFileSync(join(folder, file)), contentType })
  assets.set("initializer.js", {
    body: new TextEncoder().encode(initializer(specUrl)),
    contentType: "text/javascript; charset=utf-8"
  })
  return assets
}
