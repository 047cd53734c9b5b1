import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning

/// The report's interactive map: Leaflet (Debian's libjs-leaflet, BSD-2-Clause) inlined into the
/// page with the report's layers as GeoJSON, on a plain background (no tiles, no network): a layer
/// switcher, a popup with each feature's figures, and a search box that zooms to a name. Without
/// JavaScript the static SVG maps below it remain.
enum InteractiveMap {
    static let leafletFolder = "/usr/share/javascript/leaflet"

    /// Leaflet's script, its stylesheet (the layer icon inlined) and its licence; nil without the package.
    static func leaflet() -> (script: String, style: String, licence: String)? {
        guard let script = try? String(contentsOfFile: "\(leafletFolder)/leaflet.min.js", encoding: .utf8),
              var style = try? String(contentsOfFile: "\(leafletFolder)/leaflet.css", encoding: .utf8) else { return nil }
        for image in ["layers.png", "layers-2x.png"] {
            if let data = FileManager.default.contents(atPath: "\(leafletFolder)/images/\(image)") {
                style = style.replacingOccurrences(of: "images/\(image)", with: "data:image/png;base64,\(data.base64EncodedString())")
            }
        }
        let header = script.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return (script, style, "Leaflet, © Volodymyr Agafonkin and contributors, BSD-2-Clause (Debian libjs-leaflet) \(header.hasPrefix("/*") ? header : "")")
    }

    /// One layer of the map: its title, GeoJSON at two levels of detail and how it is drawn.
    struct MapLayer {
        var title: String
        /// Simplified for the whole city, and finer for zoom ≥ `detailZoom` (polygons only).
        var overview: String
        var detail: String?
        /// "polygon", "line" or "point"; colours come from the features' simplestyle properties.
        var kind: String
        var visible: Bool
    }

    /// The layers shown, in drawing order, with their titles; the rest stay in the GeoPackage.
    static let shown: [(name: String, title: String)] = [
        ("small_areas", "Small areas: aging rate (小地域)"), ("hamlets", "Hamlets: aging rate (行政区)"),
        ("coverage", "Council coverage and the plan (地域協働体)"), ("projection_hamlets", "Hamlets: year of ≥ 50 % (将来推計)"),
        ("transit_gap", "Transit gap (交通空白地域)"), ("routes", "Community-taxi routes"),
        ("proposed_stops", "Proposed taxi stops"), ("hubs", "Small hubs (小さな拠点)"),
    ]
    static let detailZoom = 13

    /// Popup row titles for the figures a planner looks for first.
    static let popupLabels = """
        {"population":"population (人口)","aged_65_plus":"aged 65+ (65歳以上)","aging_rate":"aging rate (高齢化率)",\
        "households":"households (世帯)","council":"council (地域協働体)","council_since_fiscal_year":"council since FY",\
        "hub":"hub (小さな拠点)","hub_distance_m":"distance to the hub","transit_gap_share":"in the transit gap (交通空白)",\
        "area_m2":"area","first_year_50":"first year ≥ 50 %"}
        """

    /// The section, or nil when the page has nothing to map or Leaflet is not installed (with a note).
    static func section(_ content: ReportContent) throws -> String? {
        let layers = try Self.layers(content)
        guard !layers.isEmpty else { return nil }
        guard let leaflet = leaflet() else {
            return HTMLReport.section("Interactive map", "<p class='note'>Not in this report: Leaflet is not installed "
                                      + "(Debian package libjs-leaflet); the maps below are the static ones.</p>")
        }
        let defs = layers.map { l in
            "{name:\(GeoJSONWriter.quotedName(l.title)),kind:'\(l.kind)',visible:\(l.visible),data:\(l.overview),detail:\(l.detail ?? "null")}"
        }.joined(separator: ",\n")
        let tiles = content.basemap == .gsi
            ? "L.tileLayer('https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png',{maxZoom:18,attribution:\"<a href='https://maps.gsi.go.jp/development/ichiran.html'>地理院タイル</a> (GSI Japan)\"}).addTo(map);"
            : ""
        let script = """
        (function(){
        var defs=[\(defs)];
        // A link ending in #show=NAME opens the map over the whole window (Escape returns to the page).
        var hash=decodeURIComponent(location.hash||''),box=document.getElementById('chiiki-map');
        if(hash.indexOf('#show=')===0){box.style.cssText='position:fixed;left:0;top:0;width:100vw;height:100vh;z-index:1000;background:#f4f6f8';
          document.addEventListener('keydown',function(e){if(e.key==='Escape'){box.style.cssText='height:560px;background:#f4f6f8;border:1px solid #ccc';map.invalidateSize();}});}
        var map=L.map('chiiki-map',{zoomSnap:0.25,attributionControl:true});
        map.attributionControl.setPrefix('Leaflet (BSD-2-Clause)');
        \(tiles)
        var control=L.control.layers(null,null,{collapsed:false}).addTo(map);
        var all=L.featureGroup(),names={};
        function esc(s){return String(s).replace(/[&<>"']/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c];})
          .replace(/[\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]/g,function(c){return '[U+'+c.charCodeAt(0).toString(16).toUpperCase()+']';});}
        var labels=\(popupLabels);
        function value(k,v){return typeof v!=='number'||/year/.test(k)?v:k==='area_m2'?(v/1e6).toFixed(2)+' km²':/(_rate|_share)$/.test(k)&&typeof v==='number'?(v*100).toFixed(1)+' %':/_m$/.test(k)&&typeof v==='number'?Math.round(v).toLocaleString('en')+' m':typeof v==='number'?v.toLocaleString('en'):v;}
        function popup(p){var rows=[],cls=[];if(p.aged_50===1)cls.push('≥ 50 % (限界集落)');else if(p.aged_45===1)cls.push('≥ 45 %');if(p.small_and_aged===1)cls.push('small and aged (小規模高齢化)');
          if(cls.length)rows.push('<tr><th>class</th><td>'+esc(cls.join(', '))+'</td></tr>');
          for(var k in p){if(p[k]===null||/^(fill|stroke|marker)|^(aged_50|aged_45|small_and_aged)$/.test(k))continue;rows.push('<tr><th>'+esc(labels[k]||k.replace(/_/g,' '))+'</th><td>'+esc(value(k,p[k]))+'</td></tr>');}
          return '<table class="popup">'+rows.join('')+'</table>';}
        function make(d,data){
          return L.geoJSON(data,{
            style:function(f){var p=f.properties||{};return d.kind==='line'?{color:p.stroke,weight:p['stroke-width']||3,opacity:0.9}:{color:p.stroke||'#555',weight:p['stroke-width']===0?0:0.6,fillColor:p.fill,fillOpacity:p['fill-opacity']||0.7};},
            pointToLayer:function(f,ll){var p=f.properties||{};return L.circleMarker(ll,{radius:p['marker-size']==='large'?8:6,color:'#222',weight:1,fillColor:p['marker-color'],fillOpacity:0.95});},
            onEachFeature:function(f,l){var p=f.properties||{};l.bindPopup(popup(p));var n=p.name||p.id;if(n){names[n]=names[n]||[];names[n].push(l);}}
          });
        }
        defs.forEach(function(d){
          // The overview for the whole city; past zoom \(detailZoom) the finer geometry replaces it.
          var group=L.layerGroup(),overview=make(d,d.data),detail=d.detail?make(d,d.detail):null;
          function pick(){var want=detail&&map.getZoom()>=\(detailZoom)?detail:overview;if(!group.hasLayer(want)){group.clearLayers();group.addLayer(want);}}
          group.addLayer(overview);map.on('zoomend',pick);
          control.addOverlay(group,esc(d.name));
          if(d.visible){group.addTo(map);}
          all.addLayer(overview);
        });
        map.fitBounds(all.getBounds(),{padding:[10,10]});
        var list=document.getElementById('chiiki-names');
        Object.keys(names).sort().forEach(function(n){var o=document.createElement('option');o.value=n;list.appendChild(o);});
        // Zoom to a unit by name and click it, as a reader would: from the search box, or from
        // a link to the page ending in #show=NAME.
        function show(n){
          var ls=names[n]||[];if(!ls.length)return false;
          var ll=ls[0].getBounds?ls[0].getBounds().getCenter():ls[0].getLatLng();
          map.setView(ll,Math.max(map.getZoom(),ls[0].getBounds?14:15),{animate:false});
          // The version drawn at this zoom (overview or detail), on a layer that is switched on.
          var l=ls.filter(function(l){return map.hasLayer(l);})[0]||ls[0];
          var el=l.getElement&&l.getElement();
          if(el){var pt=map.latLngToContainerPoint(l.getBounds?(l.getCenter?l.getCenter():ll):ll),box=map.getContainer().getBoundingClientRect();
            el.dispatchEvent(new MouseEvent('click',{bubbles:true,clientX:box.left+pt.x,clientY:box.top+pt.y}));}
          else{l.openPopup();}
          return true;
        }
        document.getElementById('chiiki-search').addEventListener('change',function(e){show(e.target.value);});
        if(hash.indexOf('#show=')===0){show(hash.slice(6));}
        })();
        """
        return HTMLReport.section("Interactive map", """
            <p class='note'>Click a unit for its figures; switch layers at the top right; type a name to zoom to it. \
            \(content.basemap == .gsi ? "Background: GSI tiles (地理院タイル), loaded from GSI when online" : "Plain background, no network"): \
            the layers are in this page. Without JavaScript, use the maps below.</p>
            <input id='chiiki-search' list='chiiki-names' placeholder='Hamlet or small area…' style='width:18em;margin-bottom:6px'>\
            <datalist id='chiiki-names'></datalist>
            <div id='chiiki-map' style='height:560px;background:#f4f6f8;border:1px solid #ccc'></div>
            <style>\(leaflet.style) .popup th{text-align:left;padding-right:8px;font-weight:600} .popup td{text-align:right}
            @media print{#chiiki-map,#chiiki-search{display:none}}</style>
            <!-- \(leaflet.licence.replacingOccurrences(of: "--", with: "- -")) -->
            <script>\(leaflet.script)</script>
            <script>\(script)</script>
            """)
    }

    /// The report's layers that the map shows, in lon/lat, simplified for the screen.
    static func layers(_ c: ReportContent) throws -> [MapLayer] {
        let all = try c.layers()
        let hasHamlets = all.contains { $0.name == "hamlets" }
        return try shown.compactMap { name, title in
            guard let layer = all.first(where: { $0.name == name }), !layer.features.isEmpty, let style = layer.style else { return nil }
            let projected = layer.crs.isGeographic ? layer : try Measurer().project(layer, to: .wgs84)
            let lonLat = name == "small_areas" || name == "hamlets" ? withOtherStudies(projected, c) : projected
            let kind = style.symbol == .fill ? "polygon" : style.symbol == .line ? "line" : "point"
            let visible = name == "hamlets" || name == "hubs" || (name == "small_areas" && !hasHamlets)
            return MapLayer(title: title, overview: scriptSafe(try simplified(lonLat, tolerance: overviewTolerance(lonLat))),
                            detail: kind == "polygon" ? scriptSafe(try simplified(lonLat, tolerance: 0.00001)) : nil,
                            kind: kind, visible: visible)
        }
    }

    /// A small area's or hamlet's popup also says what the other studies found for it: since
    /// when its council covers it, its hub and how far, its share in the transit gap.
    static func withOtherStudies(_ layer: Layer, _ c: ReportContent) -> Layer {
        var since: [String: Int] = [:]
        for council in c.coverage?.councils ?? [] { since[council.name] = council.fiscalYear }
        var hubOf: [String: (name: String, distance: Double)] = [:]
        if let h = c.hubs {
            for (i, p) in h.demand.enumerated() {
                if let j = h.solution.assignment[i] { hubOf[p.id] = (h.candidates[j].name, h.distance(i)) }
            }
        }
        var gapOf: [String: Double] = [:]
        if let t = c.taxi, let gap = t.gap {
            for d in gap.districts { gapOf[t.districts[d.district].id] = d.share }
        }
        var out = layer
        out.fields += [Field("council_since_fiscal_year", .integer), Field("hub", .string), Field("hub_distance_m", .real),
                       Field("transit_gap_share", .real)]
        for i in out.features.indices {
            let f = out.features[i]
            let id = layer.value(f, "id").stringValue ?? "", key = layer.value(f, "KEY_CODE").stringValue ?? id
            let hub = hubOf[id]
            let gap = c.taxi?.gap == nil ? nil : gapOf[id] ?? gapOf[key] ?? 0
            out.features[i].values += [layer.value(f, "council").stringValue.flatMap { since[$0] }.map(FieldValue.integer) ?? .null,
                                       hub.map { .string($0.name) } ?? .null, hub.map { .real(rounded($0.distance, 0)) } ?? .null,
                                       gap.map { .real(rounded($0, 3)) } ?? .null]
        }
        return out
    }

    /// GeoJSON to inline in a <script>: every "<" (only ever inside a string there) as \u003c, so a
    /// name like "</script>" stays data, and bidirectional controls as escapes too.
    static func scriptSafe(_ layer: Layer) -> String {
        var out = ""
        for c in GeoJSONWriter.encode(layer).unicodeScalars {
            switch c {
            case "<", "\u{200E}", "\u{200F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Half a screen pixel at the zoom that shows the whole layer on a 1,000-pixel map, in degrees.
    static func overviewTolerance(_ layer: Layer) -> Double {
        guard let box = layer.boundingBox else { return 0.00001 }
        return max(max(box.width, box.height) / 1000 / 2, 0.00001)
    }

    /// Polygons simplified by GEOS, preserving each one's topology (no ring crosses itself or a
    /// hole); for display only: every figure was computed on the full geometry.
    static func simplified(_ layer: Layer, tolerance: Double) throws -> Layer {
        var l = layer
        let engine = GeometryEngine()
        for i in l.features.indices {
            if let g = l.features[i].geometry, !g.polygons.isEmpty {
                l.features[i].geometry = try engine.simplify(g, tolerance: tolerance)
            }
        }
        return l
    }
}
