// Starts the vendored Swagger UI on /api-docs (kept out of the page: the CSP forbids inline scripts).
(function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.specUrl, domNode: root, deepLinking: true });
})();
