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

    /// One layer of the map: its name, GeoJSON and how its features are drawn.
    struct MapLayer {
        var name: String
        var geojson: String
        /// "polygon", "line" or "point"; the colour comes from the feature's fill/stroke property or `colour`.
        var kind: String
        var colour: String
        var visible: Bool
    }

    /// The section, or nil when the page has nothing to map or Leaflet is not installed (with a note).
    static func section(_ content: ReportContent) throws -> String? {
        let layers = try Self.layers(content)
        guard !layers.isEmpty else { return nil }
        guard let leaflet = leaflet() else {
            return HTMLReport.section("Interactive map", "<p class='note'>Not in this report: Leaflet is not installed "
                                      + "(Debian package libjs-leaflet); the maps below are the static ones.</p>")
        }
        let defs = layers.map { l in
            "{name:\(GeoJSONWriter.quotedName(l.name)),kind:'\(l.kind)',colour:'\(l.colour)',visible:\(l.visible),data:\(l.geojson)}"
        }.joined(separator: ",\n")
        let script = """
        (function(){
        var defs=[\(defs)];
        var map=L.map('chiiki-map',{zoomSnap:0.25,attributionControl:true});
        map.attributionControl.setPrefix('Leaflet (BSD-2-Clause)');
        var control=L.control.layers(null,null,{collapsed:false}).addTo(map);
        var all=L.featureGroup(),names={};
        function esc(s){return String(s).replace(/[&<>"']/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c];});}
        function popup(p){var rows=[];for(var k in p){if(p[k]===null||/^(fill|stroke|marker)/.test(k))continue;rows.push('<tr><th>'+esc(k)+'</th><td>'+esc(p[k])+'</td></tr>');}return '<table class="popup">'+rows.join('')+'</table>';}
        defs.forEach(function(d){
          var layer=L.geoJSON(d.data,{
            style:function(f){var p=f.properties||{};return d.kind==='line'?{color:p.stroke||d.colour,weight:3,opacity:0.9}:{color:'#555',weight:0.6,fillColor:p.fill||d.colour,fillOpacity:p['fill-opacity']||0.7};},
            pointToLayer:function(f,ll){return L.circleMarker(ll,{radius:6,color:'#222',weight:1,fillColor:d.colour,fillOpacity:0.95});},
            onEachFeature:function(f,l){var p=f.properties||{};l.bindPopup(popup(p));var n=p.name||p.id;if(n){names[n]=l;}}
          });
          control.addOverlay(layer,esc(d.name));
          if(d.visible){layer.addTo(map);}
          all.addLayer(layer);
        });
        map.fitBounds(all.getBounds(),{padding:[10,10]});
        var list=document.getElementById('chiiki-names');
        Object.keys(names).sort().forEach(function(n){var o=document.createElement('option');o.value=n;list.appendChild(o);});
        document.getElementById('chiiki-search').addEventListener('change',function(e){
          var l=names[e.target.value];if(!l)return;
          if(l.getBounds){map.fitBounds(l.getBounds(),{maxZoom:15});}else{map.setView(l.getLatLng(),15);}
          l.openPopup();
        });
        })();
        """
        return HTMLReport.section("Interactive map", """
            <p class='note'>Click a unit for its figures; switch layers at the top right; type a name to zoom to it. \
            Plain background, no network: the layers are in this page. Without JavaScript, use the maps below.</p>
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

    /// The layers the report's content has, in lon/lat, simplified for the screen.
    static func layers(_ c: ReportContent) throws -> [MapLayer] {
        var out: [MapLayer] = []
        func add(_ name: String, _ layer: Layer, kind: String, colour: String, visible: Bool) throws {
            guard !layer.features.isEmpty else { return }
            out.append(MapLayer(name: name, geojson: GeoJSONWriter.encode(try screen(layer)), kind: kind, colour: colour, visible: visible))
        }
        if let a = c.aging {
            let crs = c.frame?.source ?? .wgs84
            try add("Small areas: aging rate (小地域)", a.layer(a.areas, name: "small_areas", crs: crs), kind: "polygon",
                    colour: AgingPalette.noData, visible: a.hamlets.isEmpty)
            if !a.hamlets.isEmpty {
                try add("Hamlets: aging rate (行政区)", a.layer(a.hamlets, name: "hamlets", crs: crs), kind: "polygon",
                        colour: AgingPalette.noData, visible: true)
            }
        }
        if let r = c.coverage, let crs = c.frame?.source {
            try add("Council coverage and the plan (地域協働体)", r.districtLayer(crs: crs), kind: "polygon", colour: CoveragePalette.covered,
                    visible: false)
        }
        if let t = c.taxi {
            let toOutput = try Measurer().transformer(from: t.planarCRS, to: t.outputCRS)
            if let gap = t.gap {
                try add("Transit gap (交通空白地域)", try gap.gapLayer(t.districts, crs: t.outputCRS, toOutput: toOutput), kind: "polygon",
                        colour: "#fdae61", visible: false)
            }
            if let routes = t.routes {
                try add("Community-taxi routes", try routes.routeLayer(crs: t.outputCRS, toOutput: toOutput), kind: "line",
                        colour: "#377eb8", visible: false)
            }
            if let proposal = t.proposal {
                try add("Proposed taxi stops", try proposal.layer(t.districts, riders: nil, crs: t.outputCRS, toOutput: toOutput),
                        kind: "point", colour: "#1a9641", visible: false)
            }
        }
        if let h = c.hubs {
            // Blue, apart from the reds of the aging rates underneath.
            try add("Small hubs (小さな拠点)", h.hubLayer(), kind: "point", colour: "#08519c", visible: true)
        }
        return out
    }

    /// The layer in lon/lat (WGS 84 when it was projected), simplified to about a metre.
    static func screen(_ layer: Layer) throws -> Layer {
        var l = layer.crs.isGeographic ? layer : try Measurer().project(layer, to: .wgs84)
        let engine = GeometryEngine()
        for i in l.features.indices {
            if let g = l.features[i].geometry, !g.polygons.isEmpty {
                l.features[i].geometry = try engine.simplify(g, tolerance: 0.00001)
            }
        }
        return l
    }
}
