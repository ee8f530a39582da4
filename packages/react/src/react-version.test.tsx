import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

describe('the React this project runs', () => {
  it('is one copy, the one the project is for', ({ task }) => {
    const expected = task.file.projectName === 'react18' ? '18.' : '19.'
    expect(version.startsWith(expected)).toBe(true)
    expect(domVersion).toBe(version)
  })
})
