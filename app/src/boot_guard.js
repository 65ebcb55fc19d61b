// Shows a message when the page's code fails to load or to start: until it is hydrated, the
// server-rendered page looks ready but does nothing. Runs before the WASM module.
(function () {
  function failed() {
    var app = document.querySelector('.app');
    if (!app || app.getAttribute('data-hydrated') === 'true' || document.getElementById('boot-failed')) return;
    var box = document.createElement('div');
    box.id = 'boot-failed';
    box.className = 'boot-failed';
    box.setAttribute('role', 'alert');
    box.textContent = 'This page could not start: its code did not load or failed to run. ';
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = 'Reload';
    reload.addEventListener('click', function () { location.reload(); });
    box.appendChild(reload);
    document.body.insertBefore(box, document.body.firstChild);
  }
  addEventListener('error', failed);
  addEventListener('unhandledrejection', failed);
})();
