// Open YASGUI on the page's query, against this server's /sparql only: no endpoint
// catalogue, no saved tabs, nothing fetched from anywhere else.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: el.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: el.dataset.endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(el.dataset.endpoint);
  tab.setQuery(el.dataset.query);
  window.legigraphEditor = yasgui;
})();
