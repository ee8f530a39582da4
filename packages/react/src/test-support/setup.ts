import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

// Testing Library unmounts after each test only where vitest's globals are on; they are not here.
afterEach(() => {
  if (typeof window === 'undefined') return // the server-rendering tests run without a DOM
  cleanup()
  window.sessionStorage.clear()
  window.history.replaceState(null, '', '/')
})
