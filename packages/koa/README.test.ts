import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { testReadmeExamples } from '../../scripts/readme-examples.js'

testReadmeExamples(dirname(fileURLToPath(import.meta.url)), '@alipay-kit/koa', 2)
