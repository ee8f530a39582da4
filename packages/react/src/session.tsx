'use client'
import { QUERY_KEYS, type SessionView } from '@alipay-kit/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { useAlipayKit } from './provider.js'

const SESSION_QUERY_KEY = QUERY_KEYS.session

export interface AlipaySessionState {
  /** The BFF's answer: who is logged in, the services and login methods on offer. */
  readonly session: SessionView | undefined
  readonly isLoading: boolean
  readonly error: Error | null
  /** Forgets the member at the BFF and here. */
  logout(): Promise<void>
  readonly isLoggingOut: boolean
}

/** Who is logged in with Alipay (GET /api/session). */
export function useAlipaySession(): AlipaySessionState {
  const { client } = useAlipayKit('useAlipaySession')
  const queryClient = useQueryClient()
  const query = useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: () => client.session(),
    staleTime: 30_000,
  })
  const logout = useMutation({
    mutationFn: () => client.logout(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY }),
  })
  return {
    session: query.data,
    isLoading: query.isLoading,
    error: query.error,
    logout: async () => {
      await logout.mutateAsync()
    },
    isLoggingOut: logout.isPending,
  }
}

export interface AlipayUserBadgeProps {
  /** Shown when nobody is logged in (a login button, say). */
  readonly fallback?: ReactNode
  /** Hide the logout button. */
  readonly hideLogout?: boolean
  readonly className?: string
}

/** "你好，支付宝用户张三" and a logout button: how Alipay wants a member greeted (docs/protocol.md, "Quick login"). */
export function AlipayUserBadge(props: AlipayUserBadgeProps) {
  const { messages } = useAlipayKit('AlipayUserBadge')
  const { session, logout, isLoggingOut } = useAlipaySession()
  const user = session?.user
  if (!user) return <>{props.fallback ?? null}</>
  return (
    <span className={`akit-badge ${props.className ?? ''}`.trim()}>
      <span className="akit-greeting">{messages.greeting(user.realName)}</span>
      {props.hideLogout ? null : (
        <button
          type="button"
          className="akit-link"
          onClick={() => void logout()}
          disabled={isLoggingOut}
          aria-busy={isLoggingOut}
        >
          {messages.logout}
        </button>
      )}
    </span>
  )
}
