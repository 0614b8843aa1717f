/* Exclusion-zone maps. Each element marked data-zone-map becomes a Leaflet map of its zones (data-zones, GeoJSON
   features) over the probation regions and towns of England and Wales, which the service sends from packaged data
   (data-base-layer), so the map needs no internet; map tiles are added only when a tile server is configured
   (data-tile-url). Places (data-places, [{label, lon, lat}]: a home area, an AP, a relocation area) are marked and
   named, and the map is fitted to them and the zones together. With data-draw-into, the map also has Geoman's tools for drawing one zone, whose GeoJSON
   geometry it writes into the hidden field of that id; it starts at data-start ([longitude, latitude]) if given.
   Without scripts, the page offers a centre and a radius or a file upload instead, and the zones are listed in a
   table beside every map. */

const L = window.L
const ENGLAND_AND_WALES = [[49.9, -6.4], [55.85, 1.8]]
const START_ZOOM = 11 // a town and its surroundings, where a zone is usually drawn
const REGION_STYLE = { color: '#505a5f', weight: 1, fillColor: '#f3f2f1', fillOpacity: 1 }
const ZONE_STYLE = { color: '#d4351c', weight: 3, fillColor: '#d4351c', fillOpacity: 0.25 }
const PLACE_STYLE = { radius: 7, color: '#1d70b8', weight: 3, fillColor: '#ffffff', fillOpacity: 1 }
// The smallest town labelled at each zoom level, so that labels never cover each other on a map of the country.
const LABELLED_POPULATION = [[11, 0], [10, 20000], [9, 50000], [8, 150000], [7, 300000], [0, 700000]]

function labelledPopulation (zoom) {
  return LABELLED_POPULATION.find(([fromZoom]) => zoom >= fromZoom)[1]
}

async function addBaseLayer (map, url) {
  const response = await fetch(url, { credentials: 'same-origin' })
  if (!response.ok) return
  const { regions, towns } = await response.json()
  L.geoJSON(regions, { pane: 'base', style: REGION_STYLE, interactive: false }).addTo(map)
  const labels = L.layerGroup().addTo(map)
  const showTowns = () => {
    labels.clearLayers()
    const bounds = map.getBounds()
    const smallest = labelledPopulation(map.getZoom())
    for (const [name, lon, lat, population] of towns) {
      if (population < smallest || !bounds.contains([lat, lon])) continue
      L.circleMarker([lat, lon], { pane: 'base', radius: 2, color: '#0b0c0c', weight: 1, interactive: false })
        .bindTooltip(name, { permanent: true, direction: 'right', className: 'app-zone-map__town', pane: 'labels' })
        .addTo(labels)
    }
  }
  map.on('moveend', showTowns)
  showTowns()
}

function addDrawing (map, input, zones) {
  map.pm.setLang('zones', { buttonTitles: {
    drawPolyButton: 'Draw a zone',
    drawRectButton: 'Draw a rectangular zone',
    editButton: 'Move the corners of the zone',
    deleteButton: 'Remove the zone drawn'
  } }, 'en')
  // Self-crossing outlines are drawn as they are and refused by the service with a message, never silently fixed.
  map.pm.setGlobalOptions({ pathOptions: ZONE_STYLE, allowSelfIntersection: true })
  map.pm.addControls({
    position: 'topleft',
    drawMarker: false,
    drawCircleMarker: false,
    drawPolyline: false,
    drawCircle: false, // a circle is given as a centre and a radius instead
    drawText: false,
    cutPolygon: false,
    rotateMode: false,
    dragMode: false
  })
  // Geoman titles the wrapper of each tool, which leaves the button itself without a name for screen readers.
  for (const button of map.getContainer().querySelectorAll('.leaflet-buttons-control-button')) {
    button.setAttribute('aria-label', button.parentElement.title)
  }
  let drawn = zones.getLayers()[0] || null
  const save = () => {
    input.value = drawn ? JSON.stringify(drawn.toGeoJSON().geometry) : ''
  }
  const keep = (layer) => {
    if (drawn && drawn !== layer) drawn.remove()
    drawn = layer
    layer.on('pm:edit', save)
    save()
    const choice = input.form.querySelector('input[name="source"][value="drawn"]')
    if (choice && !choice.checked) choice.click()
  }
  if (drawn) keep(drawn)
  map.on('pm:create', ({ layer }) => keep(layer))
  map.on('pm:remove', ({ layer }) => {
    if (layer === drawn) {
      drawn = null
      save()
    }
  })
}

// The zone drawn before the page was sent back with an error, to be corrected rather than drawn again.
function drawnBefore (input) {
  try {
    return input.value ? [JSON.parse(input.value)] : []
  } catch {
    return []
  }
}

function zoneMap (element) {
  element.hidden = false
  const map = L.map(element, { zoomSnap: 0.5, attributionControl: Boolean(element.dataset.tileUrl) })
  // Regions and towns beneath the zones, and town names above everything, where no outline hides them.
  map.createPane('base').style.zIndex = 350
  const labelPane = map.createPane('labels')
  labelPane.style.zIndex = 450
  labelPane.style.pointerEvents = 'none'
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution }).addTo(map)
  }
  const input = element.dataset.drawInto && document.getElementById(element.dataset.drawInto)
  const zones = L.geoJSON(input ? drawnBefore(input) : JSON.parse(element.dataset.zones), {
    style: ZONE_STYLE,
    onEachFeature: (feature, layer) => feature.properties?.label && layer.bindTooltip(feature.properties.label)
  }).addTo(map)
  const places = L.featureGroup(JSON.parse(element.dataset.places || '[]').map(({ label, lon, lat }) =>
    L.circleMarker([lat, lon], PLACE_STYLE).bindTooltip(label, { permanent: true, direction: 'top' })
  )).addTo(map)
  const shown = L.featureGroup([zones, places])
  const start = element.dataset.start && JSON.parse(element.dataset.start)
  const fit = () => {
    if (shown.getBounds().isValid()) map.fitBounds(shown.getBounds().pad(0.5))
    else if (start) map.setView([start[1], start[0]], START_ZOOM)
    else map.fitBounds(ENGLAND_AND_WALES)
  }
  fit()
  // A map in a hidden radio reveal has no size until it is shown: fit it again the first time it has one.
  let hadSize = element.clientWidth > 0
  new ResizeObserver(() => {
    map.invalidateSize()
    if (!hadSize && element.clientWidth > 0) fit()
    hadSize = element.clientWidth > 0
  }).observe(element)
  addBaseLayer(map, element.dataset.baseLayer)
  if (input) {
    addDrawing(map, input, zones)
    input.form.classList.add('app-zone-form--map-ready')
  }
}

if (L) document.querySelectorAll('[data-zone-map]').forEach(zoneMap)
