"""Opens a chiiki GeoPackage in QGIS (PyQGIS, headless) and checks what a planner would see.

Usage: /usr/bin/python3 check_styles.py RUN.gpkg EXPECTED.json PNG_FOLDER

EXPECTED.json (written by the Swift test from chiiki's own styles) lists, per layer, the
renderer, the field, the classes (colour and lower bound or value) and the label field. Each
layer must load from the GeoPackage alone with that default style (from its layer_styles
table), and is rendered to PNG_FOLDER/LAYER.png; the PNG must not be blank. Prints
"N passed, M failed" and exits non-zero on any failure.
"""
import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp())

from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings, QgsSymbolLayer,  # noqa: E402
                       QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def render(layers, path, size=900):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(size, size))
    extent = layers[-1].extent()
    for layer in layers[:-1]:
        extent.combineExtentWith(layer.extent())
    extent.scale(1.05)
    settings.setExtent(extent)
    settings.setDestinationCrs(layers[-1].crs())
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(path, "png")
    coloured = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            if (c.red(), c.green(), c.blue()) != (255, 255, 255):
                coloured += 1
    return coloured


def check(gpkg, name, want, out, problems):
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    if not layer.isValid():
        problems.append(f"{name}: QGIS cannot open the layer")
        return None
    renderer = layer.renderer()
    if renderer.type() != want["renderer"]:
        problems.append(f"{name}: renderer {renderer.type()}, expected {want['renderer']} (default style not applied?)")
        return layer
    if want["renderer"] == "graduatedSymbol":
        ranges = renderer.ranges()
        got = [(round(r.lowerValue(), 6), r.symbol().color().name()) for r in ranges]
        expected = [(round(c["lower"], 6), c["colour"]) for c in want["classes"]]
        if want["field"] not in renderer.classAttribute():
            problems.append(f"{name}: classified by {renderer.classAttribute()}, expected {want['field']}")
        if got != expected:
            problems.append(f"{name}: ranges {got}, expected {expected}")
    elif want["renderer"] == "categorizedSymbol":
        categories = renderer.categories()
        got = [(str(c.value()) if c.value() not in (None, "") else None, c.symbol().color().name()) for c in categories]
        expected = [(c.get("value"), c["colour"]) for c in want["classes"]]
        if renderer.classAttribute() != want["field"]:
            problems.append(f"{name}: classified by {renderer.classAttribute()}, expected {want['field']}")
        if got != expected:
            problems.append(f"{name}: categories {got}, expected {expected}")
        if want.get("width_field"):
            symbol_layer = categories[0].symbol().symbolLayer(0)
            prop = symbol_layer.dataDefinedProperties().property(QgsSymbolLayer.PropertyStrokeWidth)
            if not prop.isActive() or want["width_field"] not in prop.expressionString():
                problems.append(f"{name}: line width not driven by {want['width_field']}")
    else:
        symbol = renderer.symbol()
        if symbol.color().name() != want["classes"][0]["colour"]:
            problems.append(f"{name}: colour {symbol.color().name()}, expected {want['classes'][0]['colour']}")
    label = want.get("label")
    if label:
        if not layer.labelsEnabled() or layer.labeling() is None:
            problems.append(f"{name}: labels are off, expected labels from {label}")
        elif layer.labeling().settings().fieldName != label:
            problems.append(f"{name}: labels from {layer.labeling().settings().fieldName}, expected {label}")
    coloured = render([layer], os.path.join(out, f"{name}.png"))
    if coloured < 20:
        problems.append(f"{name}: the rendered PNG is blank ({coloured} sampled pixels drawn)")
    return layer


def main():
    gpkg, expected_path, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    app = QgsApplication([], False)
    app.initQgis()
    passed = failed = 0
    loaded = {}
    for name, want in expected.items():
        problems = []
        layer = check(gpkg, name, want, out, problems)
        if layer is not None:
            loaded[name] = layer
        for p in problems:
            print("FAIL", p)
        if problems:
            failed += 1
        else:
            passed += 1
    # The report's first map as QGIS shows it: hamlets by aging rate with the hub sites on top.
    overview = [loaded[n] for n in ("hubs", "hamlets") if n in loaded]
    if overview:
        render(overview, os.path.join(out, "overview.png"), size=1100)
    print(f"{passed} passed, {failed} failed", flush=True)
    # QGIS's own teardown may crash once layers outlive it (a known PyQGIS quirk): the checks
    # are done, so leave without it.
    os._exit(1 if failed else 0)


if __name__ == "__main__":
    main()
