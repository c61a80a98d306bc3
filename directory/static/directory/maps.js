// Maps drawn with Leaflet (static/leaflet/leaflet.js, loaded before this module) from
// each container's data-map JSON, which directory/maps.py builds. Progressive
// enhancement: maps and the list/map toggle start hidden, and without this script the
// page's lists and addresses carry everything the maps show.
//
// Markers that lead somewhere are real links inside the map, added in list order, so
// Tab moves through them as numbered in the list; the searcher's point and the radius
// are drawn, not focusable (the page says them in words).
const L = window.L;
const VIEW_KEY = "council-results-view";
const drawn = new WeakMap();

function markerElement(marker) {
  const element = document.createElement(marker.url ? "a" : "span");
  element.className = "council-map__pin";
  element.textContent = marker.number == null ? "" : String(marker.number);
  if (marker.url) {
    element.href = marker.url;
    element.setAttribute("aria-label", marker.label);
  } else {
    element.setAttribute("aria-hidden", "true");
  }
  element.title = marker.label;
  return element;
}

export function drawMap(container) {
  if (!L || drawn.has(container)) return drawn.get(container);
  const data = JSON.parse(container.dataset.map);
  const map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 });
  drawn.set(container, map);
  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
  }
  let bounds = null;
  const extend = (lat, lon) => {
    if (bounds) bounds.extend([lat, lon]);
    else bounds = L.latLngBounds([lat, lon], [lat, lon]);
  };
  if (data.origin) {
    const centre = [data.origin.lat, data.origin.lon];
    if (data.radius_metres) {
      L.circle(centre, {
        radius: data.radius_metres, interactive: false, className: "council-map__radius",
        color: "#1d70b8", weight: 2, fillOpacity: 0.06,
      }).addTo(map);
      bounds = L.latLng(centre).toBounds(data.radius_metres * 2);
    } else {
      extend(...centre);
    }
    L.circleMarker(centre, {
      radius: 7, interactive: false, className: "council-map__origin",
      color: "#ffffff", weight: 3, fillColor: "#0b0c0c", fillOpacity: 1,
    }).addTo(map);
  }
  for (const marker of data.markers) {
    const icon = L.divIcon({
      className: "council-map__marker" + (marker.url ? " council-map__marker--link" : ""),
      html: markerElement(marker),
      iconSize: [30, 30],
      iconAnchor: [15, 15],
    });
    // keyboard/interactive off: the link inside is what takes focus and clicks.
    L.marker([marker.lat, marker.lon], { icon, keyboard: false, interactive: false }).addTo(map);
    extend(marker.lat, marker.lon);
  }
  if (bounds) map.fitBounds(bounds.pad(0.08), { maxZoom: 16 });
  else map.setView([54, -2], 5);
  return map;
}

function showFigure(figure) {
  figure.hidden = false;
  const container = figure.querySelector("[data-map]");
  if (container) drawMap(container);
}

// Listing and console maps: drawn as soon as they are on the page (the console puts
// them in with each result's details).
function drawAutomatic(root) {
  for (const figure of root.querySelectorAll("[data-map-figure]")) showFigure(figure);
}

// The results page: a List / Map toggle; the choice lasts for the browser tab.
function setUpToggle(toggle) {
  const buttons = Array.from(toggle.querySelectorAll("button[data-view]"));
  const panels = Object.fromEntries(
    buttons.map((button) => [button.dataset.view, document.getElementById(button.getAttribute("aria-controls"))]),
  );
  const show = (view, remember = true) => {
    for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.view === view));
    for (const [name, panel] of Object.entries(panels)) panel.hidden = name !== view;
    if (view === "map") {
      const container = panels.map.querySelector("[data-map]");
      const map = drawMap(container);
      if (map) map.invalidateSize();
    }
    if (remember) {
      try { sessionStorage.setItem(VIEW_KEY, view); } catch { /* storage off: fine */ }
    }
  };
  for (const button of buttons) button.addEventListener("click", () => show(button.dataset.view));
  toggle.hidden = false;
  let saved = null;
  try { saved = sessionStorage.getItem(VIEW_KEY); } catch { /* storage off: fine */ }
  if (saved === "map" && panels.map) show("map", false);
}

if (L) {
  for (const toggle of document.querySelectorAll("[data-view-toggle]")) setUpToggle(toggle);
  drawAutomatic(document);
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches("[data-map-figure]")) showFigure(node);
        else drawAutomatic(node);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
}
