// Starts allauth's WebAuthn forms (mfa/js/webauthn.js) from data attributes, so that the pages
// need no inline script and stay under the nonce-based CSP (docs/decisions/0002). Each element
// with data-onestory-webauthn names the allauth form to start ("addForm", "authenticateForm"),
// with the ids of its elements in data-id-* attributes (data-id-credential, data-id-add...) and
// the server's options in data-options (JSON).
(function () {
  function start () {
    document.querySelectorAll('[data-onestory-webauthn]').forEach(function (element) {
      var forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms
      var form = forms && forms[element.dataset.onestoryWebauthn]
      if (typeof form !== 'function') return
      var ids = {}
      Object.keys(element.dataset).forEach(function (key) {
        if (key.length > 2 && key.slice(0, 2) === 'id' && element.dataset[key]) {
          ids[key.charAt(2).toLowerCase() + key.slice(3)] = element.dataset[key]
        }
      })
      form({ ids: ids, data: JSON.parse(element.dataset.options) })
    })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start)
  } else {
    start()
  }
})()
