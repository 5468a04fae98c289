"""viewflow's Material screens for the signing process, for platform staff only.

Employer staff never see these: they act from their contract pages, where every
object is checked. ``ContractSigningFlow.has_view_permission`` keeps everyone
else out of these lists and task pages.
"""

from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowAppViewset

from workflows.contract_flow import ContractSigningFlow

site = Site(title="和签 HeQian", viewsets=[
    Application(title="Workflows", app_name="workflows", viewsets=[
        FlowAppViewset(ContractSigningFlow, icon="assignment"),
    ]),
])
