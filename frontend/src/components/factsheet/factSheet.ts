// A track's fact sheet (Codabench fact_sheet): its questions and a submission's answers.
import { request } from '@/api/client'

export interface FactSheetQuestion {
  key: string
  title: string
  type: 'text' | 'checkbox' | 'select'
  options: string[]
  required: boolean
  on_leaderboard: boolean
}
export type FactSheetAnswerMap = Record<string, string | boolean>

export const getQuestions = (phaseId: number) =>
  request<{ questions: FactSheetQuestion[] }>('GET', `/phases/${phaseId}/fact-sheet`)
export const putAnswers = (submissionId: number, answers: FactSheetAnswerMap) =>
  request<{ answers: FactSheetAnswerMap }>('PUT', `/submissions/${submissionId}/fact-sheet`, { answers })
export const getAnswers = (submissionId: number) =>
  request<{ questions: FactSheetQuestion[]; answers: FactSheetAnswerMap }>('GET', `/submissions/${submissionId}/fact-sheet`)

/** The questions left unanswered that need an answer. */
export function missingRequired(questions: FactSheetQuestion[], answers: FactSheetAnswerMap): FactSheetQuestion[] {
  return questions.filter((q) => q.required && (answers[q.key] === undefined || answers[q.key] === ''))
}

/** Only what was answered: empty text and unset choices are left out. */
export function answered(answers: FactSheetAnswerMap): FactSheetAnswerMap {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== '' && v !== undefined))
}
