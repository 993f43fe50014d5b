// Kefu chat widget. A shop page includes it with one tag:
//   <script src="https://KEFU-SERVER/widget.js" defer></script>
// It adds a floating "在线客服" button that opens the chat in a panel (an iframe of this server's chat page, so the
// shop page's styles and scripts cannot touch the conversation, and the chat needs no CORS). On a phone the panel
// fills the screen. Optional attributes: data-label="联系客服", data-color="#2f8f5b".
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__kefuWidget) return;
  window.__kefuWidget = true;
  var origin = new URL(script.src, location.href).origin;
  var color = script.getAttribute('data-color') || '#2f8f5b';
  var label = script.getAttribute('data-label') || '在线客服';

  function style(node, rules) {
    for (var key in rules) node.style[key] = rules[key];
    return node;
  }

  function start() {
    var button = style(document.createElement('button'), {
      position: 'fixed', right: '20px', bottom: '20px', zIndex: '2147483000', border: 'none', borderRadius: '999px',
      padding: '12px 18px', background: color, color: '#fff', font: '600 15px system-ui, sans-serif', cursor: 'pointer',
      boxShadow: '0 6px 18px rgba(0,0,0,.18)',
    });
    button.type = 'button';
    button.id = 'kefu-widget-button';
    button.textContent = '💬 ' + label;
    button.setAttribute('aria-expanded', 'false');

    var panel = style(document.createElement('div'), {
      position: 'fixed', zIndex: '2147483001', background: '#fff', overflow: 'hidden', display: 'none',
      boxShadow: '0 12px 40px rgba(0,0,0,.25)',
    });
    panel.id = 'kefu-widget-panel';
    var frame = style(document.createElement('iframe'), { width: '100%', height: '100%', border: '0', display: 'block' });
    frame.title = label;
    frame.setAttribute('allow', 'clipboard-write');

    function layout() {
      var narrow = window.innerWidth < 480;
      style(panel, narrow
        ? { inset: '0', width: '100%', height: '100%', borderRadius: '0' }
        : { inset: 'auto', right: '20px', bottom: '84px', width: '380px', height: 'min(620px, calc(100vh - 110px))', borderRadius: '14px' });
    }

    function open(show) {
      if (show && !frame.src) frame.src = origin + '/chat?embed=1';
      panel.style.display = show ? 'block' : 'none';
      button.style.display = show && window.innerWidth < 480 ? 'none' : 'block';
      button.setAttribute('aria-expanded', String(show));
    }

    button.addEventListener('click', function () { open(panel.style.display === 'none'); });
    window.addEventListener('resize', layout);
    window.addEventListener('message', function (event) {
      if (event.origin === origin && event.data && event.data.kefu === 'close') open(false);
    });
    layout();
    panel.appendChild(frame);
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
