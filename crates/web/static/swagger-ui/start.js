// Opens Swagger UI on this installation's own API description. Kept out of the page so
// that the page needs no inline script.
window.addEventListener('load', () => {
  window.SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
