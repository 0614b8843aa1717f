// Keeps an optimiser run's page current while the run is queued or running: every few seconds it fetches the page
// again and swaps in the new details and status sentence (read out politely), so nobody loses their place on the
// page. Once the run has ended it loads the page once more, with what the run left: its proposals or its error.
const progress = document.getElementById('run-progress')
const status = document.getElementById('run-status')

async function update () {
  let page
  try {
    const response = await fetch(window.location.href, { headers: { Accept: 'text/html' } })
    if (!response.ok) throw new Error(`status ${response.status}`)
    page = new DOMParser().parseFromString(await response.text(), 'text/html')
  } catch {
    return setTimeout(update, every)  // a missed update is tried again, as a reload would be
  }
  const fresh = page.getElementById('run-progress')
  if (!fresh?.dataset.refreshS) return window.location.reload()
  progress.replaceChildren(...fresh.childNodes)
  status.textContent = page.getElementById('run-status').textContent
  setTimeout(update, every)
}

const every = Number(progress?.dataset.refreshS) * 1000
if (every) setTimeout(update, every)
