// A scenario's "Add a change" form asks only the chosen kind of change's questions: every question names the kinds
// that ask it (data-change-kinds), and the others are hidden until their kind is chosen. Without JavaScript every
// question shows, each saying in its hint which changes it is for.
const form = document.querySelector('[data-change-kinds]')?.closest('form')
const questions = document.querySelectorAll('[data-change-kinds]')

function showTheChosenKindsQuestions () {
  const chosen = form.querySelector('input[name="kind"]:checked')?.value
  for (const question of questions) {
    question.hidden = !chosen || !question.dataset.changeKinds.split(' ').includes(chosen)
  }
}

if (form) {
  form.addEventListener('change', (event) => {
    if (event.target.name === 'kind') showTheChosenKindsQuestions()
  })
  showTheChosenKindsQuestions()
}
